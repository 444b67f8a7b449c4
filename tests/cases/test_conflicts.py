"""Conflicts of interest: no one acts as the department on a file that concerns them, by
the services, the queues, routing, the pages and, for every staff event, the database."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.accounts.roles import Role
from passage.accounts.services import grant_roles
from passage.cases import services
from passage.cases.errors import NotPermitted
from passage.cases.events import append_event
from passage.cases.models import Case, DeclaredConflict
from passage.cases.selectors import case_status, cases_visible_to
from passage.cases.status import ActorRole, EventKind, Step, StepState
from passage.workbench.services import claim_next_case, reassign_cases, route_open_cases
from tests.accounts.builders import api_token, signed_in_with_mfa
from tests.builders import API_APPLICATION, create_user, finish_all_steps, give_to
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def client_who_became_an_officer():
    """A client with a file in review who was later hired as an officer (the way a staff
    account comes to be a party: staff accounts cannot apply themselves)."""
    applicant = create_user(Role.APPLICANT)
    case = ready_case(submitter=applicant)
    grant_roles(user=applicant, roles=[Role.OFFICER])
    return create_skilled_officer_from(applicant), case


def create_skilled_officer_from(person):
    """Give an existing person an officer's office, capacity and skills."""
    model = create_skilled_officer()
    person.office = model.office
    person.save(update_fields=["office"])
    model.officer_profile.officer = person
    model.officer_profile.save()
    model.skills.update(officer=person)
    return person


def test_an_officer_cannot_record_a_step_or_approve_a_file_they_applied_for():
    officer, case = client_who_became_an_officer()

    with pytest.raises(NotPermitted):
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.MEDICAL,
            state=StepState.COMPLETED,
            idempotency_key="step",
        )
    colleague = create_skilled_officer()
    give_to(case, colleague)
    finish_all_steps(case, colleague)
    with pytest.raises(NotPermitted):
        services.record_decision(
            case_id=case.public_id, actor=officer, approve=True, idempotency_key="approve"
        )
    assert Case.objects.get(pk=case.pk).status == "in_review"


def test_staff_cannot_apply_from_their_staff_account(client: Client):
    officer = create_skilled_officer()
    token = api_token(officer, "test")

    response = client.post(
        "/api/v1/applications",
        data=API_APPLICATION,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 403
    assert "personal account" in response.json()["detail"]
    assert not Case.objects.exists()


def append_as_officer(case, officer, kind):
    """Write a staff event straight into the log, past every service check."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        append_event(
            case=locked,
            kind=kind,
            actor=officer,
            actor_role=ActorRole.OFFICER,
            occurred_at=clock.now(),
            payload={"reasons": "Written past the services."},
            idempotency_key=None,
        )


@pytest.mark.parametrize(
    "kind", [EventKind.APPROVED, EventKind.STEP_RECORDED, EventKind.NOTE_ADDED]
)
def test_the_database_refuses_any_staff_event_by_a_party_to_the_case(kind):
    officer, case = client_who_became_an_officer()

    with pytest.raises(IntegrityError):
        append_as_officer(case, officer, kind)


def test_the_database_refuses_staff_events_by_an_officer_who_declared_a_conflict():
    case = ready_case()
    officer = create_skilled_officer()
    services.declare_conflict(
        case_id=case.public_id,
        actor=officer,
        kind=DeclaredConflict.Kind.RELATIVE,
        note="My cousin.",
        idempotency_key="conflict",
    )

    with pytest.raises(IntegrityError):
        append_as_officer(case, officer, EventKind.REFUSED)


def test_the_database_still_takes_a_partys_own_client_events():
    officer, case = client_who_became_an_officer()

    result = services.withdraw_application(
        case_id=case.public_id, actor=officer, idempotency_key="withdraw", reason="Moving."
    )

    assert result.event.actor_role == ActorRole.APPLICANT


def test_an_officer_never_sees_a_file_that_concerns_them_in_the_workbench():
    officer, case = client_who_became_an_officer()
    other = ready_case()
    client = signed_in_with_mfa(officer)

    assert not cases_visible_to(officer).filter(pk=case.pk).exists()
    assert cases_visible_to(officer).filter(pk=other.pk).exists()
    assert client.get(f"/en/workbench/files/{case.public_id}/").status_code == 404
    assert client.get(f"/en/workbench/files/{other.public_id}/").status_code == 200


def test_a_staff_member_reads_their_own_file_only_as_its_client():
    officer, case = client_who_became_an_officer()
    colleague = create_skilled_officer()
    give_to(case, colleague)
    services.add_note(
        case_id=case.public_id,
        actor=colleague,
        text="Internal.",
        idempotency_key="n",
    )

    status = case_status(person=officer, case_id=case.public_id)

    kinds = {event["kind"] for event in status["recent_events"]}
    assert EventKind.NOTE_ADDED not in kinds
    assert EventKind.TRIAGE_ASSESSED not in kinds
    assert EventKind.SUBMITTED in kinds


def test_the_next_file_is_never_one_that_concerns_the_officer():
    officer, case = client_who_became_an_officer()

    claim = claim_next_case(officer=officer, idempotency_key="next")

    assert claim.case is None
    assert claim_next_case(officer=create_skilled_officer(), idempotency_key="n").case.pk == case.pk


def test_routing_never_gives_an_officer_a_file_that_concerns_them():
    _officer, case = client_who_became_an_officer()

    route_open_cases()

    assert Case.objects.get(pk=case.pk).assigned_to_id is None
    other = create_skilled_officer()
    route_open_cases()
    assert Case.objects.get(pk=case.pk).assigned_to_id == other.pk


def test_a_supervisor_cannot_give_a_file_to_an_officer_who_declared_a_conflict():
    case = ready_case()
    officer = create_skilled_officer()
    services.declare_conflict(
        case_id=case.public_id,
        actor=officer,
        kind=DeclaredConflict.Kind.FORMER_CLIENT,
        note="",
        idempotency_key="conflict",
    )

    result = reassign_cases(
        case_ids=[case.public_id],
        officer=officer,
        supervisor=create_supervisor(),
        reason="Balance the load.",
        idempotency_key="move",
    )

    assert result.done == []
    assert "conflict of interest" in result.failed[str(case.public_id)]


def test_a_declared_conflict_takes_every_file_of_that_client_out_of_the_officers_reach():
    client = create_user(Role.APPLICANT)
    first = ready_case(submitter=client)
    second = ready_case(submitter=client, idempotency_key="second")
    unrelated = ready_case()
    officer = create_skilled_officer()
    claimed = claim_next_case(officer=officer, idempotency_key="take").case
    assert claimed.pk == first.pk

    services.declare_conflict(
        case_id=first.public_id,
        actor=officer,
        kind=DeclaredConflict.Kind.RELATIVE,
        note="My sister.",
        idempotency_key="conflict",
    )

    visible = set(cases_visible_to(officer).values_list("pk", flat=True))
    assert first.pk not in visible
    assert second.pk not in visible
    assert unrelated.pk in visible
    reloaded = Case.objects.get(pk=first.pk)
    assert reloaded.assigned_to_id is None
    assert reloaded.work_started_at is None
    assert claim_next_case(officer=officer, idempotency_key="again").case.pk == unrelated.pk
    declared = reloaded.events.get(kind=EventKind.CONFLICT_DECLARED)
    assert declared.payload == {"kind": "relative", "note": "My sister."}


def test_declaring_the_same_conflict_twice_records_it_once():
    case = ready_case()
    officer = create_skilled_officer()
    for _ in range(2):
        services.declare_conflict(
            case_id=case.public_id,
            actor=officer,
            kind=DeclaredConflict.Kind.PERSONAL,
            note="",
            idempotency_key="conflict",
        )

    assert DeclaredConflict.objects.filter(officer=officer).count() == 1


def test_an_officer_declares_a_conflict_from_the_case_page_and_lands_on_their_queue():
    case = ready_case()
    officer = create_skilled_officer()
    client = signed_in_with_mfa(officer)
    with translation.override("fr"):
        page = client.get(reverse("workbench:case", kwargs={"case_id": case.public_id}))
    assert "Déclarer un conflit d\u2019intérêts" in page.content.decode()

    response = client.post(
        f"/en/workbench/files/{case.public_id}/conflict/",
        {"idempotency_key": uuid.uuid4().hex, "expected_version": "0", "kind": "relative"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/workbench/"
    assert client.get(f"/en/workbench/files/{case.public_id}/").status_code == 404
    assert DeclaredConflict.objects.get(officer=officer).case_id == case.pk
