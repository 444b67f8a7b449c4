"""Who acts on which file: an officer on the files routed to, given to or taken by them; a
supervisor on the files of their office; the system (routing, triage) on any. Anyone else
is refused with a sentence, and nothing is written."""

import pytest
from django.db import transaction
from django.utils import timezone

from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.actors import SYSTEM
from passage.cases.errors import NotPermitted
from passage.cases.models import Case, DeclaredConflict
from passage.cases.status import CaseStatus, EventKind, Step, StepState
from tests.builders import (
    case_in_status,
    create_office,
    create_officer,
    create_program,
    create_user,
    give_to,
)

pytestmark = pytest.mark.django_db


def record_background(case: Case, actor) -> None:
    services.record_step(
        case_id=case.public_id,
        actor=actor,
        step=Step.BACKGROUND,
        state=StepState.COMPLETED,
        idempotency_key="background",
    )


def sampled_for_review(case: Case) -> None:
    services.record_assessment(
        case_id=case.public_id,
        assessment={"outcome": "eligible_auto", "tier": 1, "criteria": []},
        blind_review=True,
        idempotency_key="assess",
    )


def review(case: Case, officer) -> None:
    services.record_quality_review(
        case_id=case.public_id,
        actor=officer,
        eligible=True,
        reasons="",
        idempotency_key=f"review-{officer.pk}",
    )


def test_an_officer_acts_on_a_file_routed_to_them():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)

    record_background(case, officer)

    assert Case.objects.get(pk=case.pk).background == StepState.COMPLETED


def test_an_officer_cannot_act_on_another_officers_file_and_is_told_why():
    case = case_in_status(CaseStatus.IN_REVIEW, officer=create_officer())
    before = Case.objects.get(pk=case.pk)

    with pytest.raises(NotPermitted, match="with another officer: only they can act on it"):
        record_background(case, create_officer())
    with pytest.raises(NotPermitted):
        services.add_note(
            case_id=case.public_id, actor=create_officer(), text="Seen.", idempotency_key="n"
        )

    after = Case.objects.get(pk=case.pk)
    assert (after.version, after.background) == (before.version, StepState.NOT_STARTED)


def test_an_officer_cannot_act_on_a_file_nobody_has_given_them():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(NotPermitted, match="not assigned to you"):
        services.request_documents(
            case_id=case.public_id,
            actor=create_officer(),
            step=Step.MEDICAL,
            items=["Medical exam report"],
            due_on=timezone.localdate() + timezone.timedelta(days=30),
            idempotency_key="ask",
        )

    assert not case.document_requests.exists()


def test_an_officer_cannot_decide_another_officers_file():
    case = case_in_status(CaseStatus.IN_REVIEW, officer=create_officer())

    with pytest.raises(NotPermitted):
        services.record_decision(
            case_id=case.public_id,
            actor=create_officer(),
            approve=False,
            reasons="Funds below the required minimum.",
            idempotency_key="refuse",
        )

    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_only_the_officer_a_quality_review_sample_was_given_to_can_record_it():
    reviewer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=reviewer)
    sampled_for_review(case)
    supervisor = create_user(Role.SUPERVISOR, Role.OFFICER, office=reviewer.office)

    with pytest.raises(NotPermitted, match="sampled for quality review by another officer"):
        review(case, create_officer())
    with pytest.raises(NotPermitted):
        review(case, supervisor)  # even their supervisor: the finding is the reviewer's
    review(case, reviewer)

    assert case.events.filter(kind=EventKind.QUALITY_REVIEWED).get().actor == reviewer


def test_an_officer_cannot_take_another_officers_file():
    case = case_in_status(CaseStatus.IN_REVIEW, officer=create_officer())

    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        with pytest.raises(NotPermitted, match="with another officer"):
            services.start_work(
                case=locked,
                officer=create_officer(),
                idempotency_key="take",
                reasons={},
                now=timezone.now(),
            )

    assert not case.events.filter(kind=EventKind.WORK_STARTED).exists()


def test_a_supervisor_acts_on_the_files_of_their_office_only():
    officer = create_officer()  # of Ottawa
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    ottawa = create_user(Role.SUPERVISOR, office=officer.office)
    montreal = create_user(Role.SUPERVISOR, office=create_office("montreal"))

    services.add_note(case_id=case.public_id, actor=ottawa, text="Seen.", idempotency_key="n1")
    with pytest.raises(NotPermitted, match="belongs to another office"):
        services.add_note(
            case_id=case.public_id, actor=montreal, text="Seen.", idempotency_key="n2"
        )

    assert case.events.filter(kind=EventKind.NOTE_ADDED).get().actor == ottawa


def test_a_file_nobody_has_is_the_supervisors_of_the_offices_processing_its_program():
    create_program("iec", processing_offices=["montreal"])
    case = case_in_status(CaseStatus.IN_REVIEW)
    ottawa = create_user(Role.SUPERVISOR, office=create_office("ottawa"))
    montreal = create_user(Role.SUPERVISOR, office=create_office("montreal"))

    with pytest.raises(NotPermitted):
        record_background(case, ottawa)
    record_background(case, montreal)

    assert Case.objects.get(pk=case.pk).background == StepState.COMPLETED


def test_the_system_still_routes_triages_and_records_on_any_file():
    case = case_in_status(CaseStatus.TRIAGE)

    services.record_assessment(
        case_id=case.public_id,
        assessment={"outcome": "needs_officer", "tier": 2, "criteria": []},
        idempotency_key="assess",
    )
    services.begin_review(case_id=case.public_id, actor=SYSTEM, idempotency_key="review")
    give_to(case, create_officer())
    record_background(case, SYSTEM)

    case.refresh_from_db()
    assert (case.status, case.background) == (CaseStatus.IN_REVIEW, StepState.COMPLETED)


def test_any_officer_who_sees_a_file_may_declare_a_conflict_with_it():
    case = case_in_status(CaseStatus.IN_REVIEW, officer=create_officer())
    colleague = create_officer()

    services.declare_conflict(
        case_id=case.public_id,
        actor=colleague,
        kind=DeclaredConflict.Kind.RELATIVE,
        note="My cousin.",
        idempotency_key="conflict",
    )

    assert DeclaredConflict.objects.filter(officer=colleague, case=case).exists()
