"""The commands officers and routing use on a file: document requests, notes,
assignments, and what clients see of them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.actors import SYSTEM
from passage.cases.errors import InvalidRequest, NotPermitted, StaleVersion, TransitionNotAllowed
from passage.cases.models import Case, DocumentRequest
from passage.cases.selectors import case_events, case_status
from passage.cases.status import CaseStatus, EventKind, Step, StepState
from tests.builders import (
    case_in_status,
    create_officer,
    create_user,
    find_not_eligible,
    finish_all_steps,
)

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.now(UTC).date() + timedelta(days=30)


def officer_with_a_file_in_review():
    """An officer and a file assigned to them, in review."""
    officer = create_officer()
    return officer, case_in_status(CaseStatus.IN_REVIEW, officer=officer)


def test_a_document_request_makes_the_step_wait_on_the_client_until_a_due_date():
    officer, case = officer_with_a_file_in_review()

    result = services.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=Step.ELIGIBILITY,
        items=["Bank statements for the last 3 months", " "],
        due_on=IN_A_MONTH,
        message="Your proof of funds is missing.",
        idempotency_key="ask",
        expected_version=case.version,
    )

    assert result.case.eligibility == StepState.WAITING_ON_YOU
    request = DocumentRequest.objects.get(case=case)
    assert request.items == ["Bank statements for the last 3 months"]
    assert request.due_on == IN_A_MONTH
    client_view = case_status(person=case.application.applicant, case_id=case.public_id)
    assert client_view["eligibility"] == StepState.WAITING_ON_YOU
    assert client_view["recent_events"][0]["kind"] == EventKind.DOCUMENTS_REQUESTED


def test_a_document_request_needs_an_item_and_a_future_due_date_and_writes_nothing_otherwise():
    officer, case = officer_with_a_file_in_review()

    with pytest.raises(InvalidRequest) as error:
        services.request_documents(
            case_id=case.public_id,
            actor=officer,
            step=Step.ELIGIBILITY,
            items=[],
            due_on=datetime.now(UTC).date(),
            idempotency_key="ask",
        )

    assert set(error.value.details["errors"]) == {"items", "due_on"}
    assert not DocumentRequest.objects.exists()


def test_a_stale_version_is_refused_and_the_request_is_not_written():
    officer, case = officer_with_a_file_in_review()
    services.add_note(case_id=case.public_id, actor=officer, text="First.", idempotency_key="n1")

    with pytest.raises(StaleVersion):
        services.request_documents(
            case_id=case.public_id,
            actor=officer,
            step=Step.MEDICAL,
            items=["Medical exam"],
            due_on=IN_A_MONTH,
            idempotency_key="ask",
            expected_version=case.version,
        )
    assert not DocumentRequest.objects.exists()


def test_internal_events_are_kept_from_clients_but_shown_to_staff():
    officer, case = officer_with_a_file_in_review()
    services.add_note(
        case_id=case.public_id, actor=officer, text="Looks routine.", idempotency_key="n1"
    )
    services.record_assessment(
        case_id=case.public_id,
        assessment={"outcome": "needs_officer", "tier": 2, "criteria": []},
        idempotency_key="assess",
    )
    applicant = case.application.applicant

    client_kinds = {e["kind"] for e in case_events(person=applicant, case_id=case.public_id)}
    staff_kinds = {e["kind"] for e in case_events(person=officer, case_id=case.public_id)}
    status_kinds = {
        e["kind"] for e in case_status(person=applicant, case_id=case.public_id)["recent_events"]
    }

    assert EventKind.NOTE_ADDED not in client_kinds | status_kinds
    assert EventKind.TRIAGE_ASSESSED not in client_kinds | status_kinds
    assert {EventKind.NOTE_ADDED, EventKind.TRIAGE_ASSESSED} <= staff_kinds


def test_routing_cannot_move_a_file_an_officer_started_but_a_supervisor_can():
    officer, other = create_officer(), create_officer()
    supervisor = create_user(Role.SUPERVISOR)
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        services.start_work(
            case=locked, officer=officer, idempotency_key="take", reasons={}, now=timezone.now()
        )

    with pytest.raises(TransitionNotAllowed):
        services.assign_officer(
            case_id=case.public_id,
            actor=SYSTEM,
            officer=other,
            reasons={"by": "routing"},
            idempotency_key="route",
        )
    moved = services.assign_officer(
        case_id=case.public_id,
        actor=supervisor,
        officer=other,
        reason="Leave",
        idempotency_key="move",
    ).case
    assert moved.assigned_to_id == other.pk
    assert moved.work_started_at is None


def test_only_a_supervisor_or_routing_assigns_files():
    officer, case = officer_with_a_file_in_review()

    with pytest.raises(NotPermitted):
        services.assign_officer(
            case_id=case.public_id,
            actor=officer,
            officer=officer,
            reasons={},
            idempotency_key="self",
        )


def test_a_file_found_not_eligible_cannot_be_approved():
    officer, case = officer_with_a_file_in_review()
    find_not_eligible(case, officer, "Not a citizen of a partner country.")
    finish_all_steps(case, officer, StepState.EXEMPTED)

    with pytest.raises(TransitionNotAllowed):
        services.record_decision(
            case_id=case.public_id, actor=officer, approve=True, idempotency_key="approve"
        )


def test_not_met_eligibility_needs_reasons():
    officer, case = officer_with_a_file_in_review()

    with pytest.raises(InvalidRequest):
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.ELIGIBILITY,
            state=StepState.COMPLETED,
            eligible=False,
            idempotency_key="elig",
        )
