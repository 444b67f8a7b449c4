"""The engine every case command runs through: who is asked first, what a replay sends
again (nothing), and an event that records only what its spec names."""

from datetime import UTC, datetime, timedelta

import pytest

from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.commands.engine import Call, run
from passage.cases.commands.specs import ADD_NOTE
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus, Step
from passage.outbox.models import OutboxMessage
from tests.builders import case_in_status, create_officer, create_user, finish_all_steps

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.now(UTC).date() + timedelta(days=30)


def test_a_decision_sent_twice_emails_the_client_once():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    finish_all_steps(case, officer)
    decide = {"case_id": case.public_id, "actor": officer, "approve": True}

    first = services.record_decision(**decide, idempotency_key="decide")
    again = services.record_decision(**decide, idempotency_key="decide")

    assert (first.replayed, again.replayed) == (False, True)
    assert again.event.pk == first.event.pk
    assert OutboxMessage.objects.filter(case=case, kind="case.decided").count() == 1


def test_a_document_request_sent_twice_emails_the_client_once():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    ask = {
        "case_id": case.public_id,
        "actor": officer,
        "step": Step.MEDICAL,
        "items": ["Medical exam report"],
        "due_on": IN_A_MONTH,
        "idempotency_key": "ask",
    }

    services.request_documents(**ask)
    services.request_documents(**ask)

    assert OutboxMessage.objects.filter(case=case, kind="documents.requested").count() == 1


def test_a_client_trying_to_refuse_is_told_only_officers_may_whatever_else_is_wrong():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(NotPermitted, match="Only an officer can refuse"):
        services.record_decision(
            case_id=case.public_id,
            actor=case.application.applicant,
            approve=False,
            reasons="",
            idempotency_key="",
        )


def test_a_client_asking_for_documents_is_refused_before_the_request_is_checked():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(NotPermitted, match="Only an officer can ask for documents"):
        services.request_documents(
            case_id=case.public_id,
            actor=case.application.applicant,
            step=Step.MEDICAL,
            items=[],
            due_on=IN_A_MONTH,
            idempotency_key="ask",
        )


def test_a_client_starting_a_review_is_refused_before_their_key_is_looked_at():
    case = case_in_status(CaseStatus.TRIAGE)

    with pytest.raises(NotPermitted):
        services.begin_review(
            case_id=case.public_id, actor=case.application.applicant, idempotency_key=""
        )


def test_a_stranger_withdrawing_is_refused_on_the_case_and_nothing_changes():
    case = case_in_status(CaseStatus.TRIAGE)

    with pytest.raises(NotPermitted, match="You may not withdraw this application"):
        services.withdraw_application(
            case_id=case.public_id, actor=create_user(Role.APPLICANT), idempotency_key="w"
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.TRIAGE


def test_an_officer_records_a_withdrawal_the_client_asked_for():
    officer = create_officer()
    case = case_in_status(CaseStatus.TRIAGE, officer=officer)

    result = services.withdraw_application(
        case_id=case.public_id, actor=officer, idempotency_key="w"
    )

    assert result.event.actor_role == "officer"
    assert result.case.status == CaseStatus.WITHDRAWN


def test_a_note_with_a_key_longer_than_255_characters_is_refused():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(InvalidRequest, match="1 to 255 characters"):
        services.add_note(
            case_id=case.public_id, actor=create_officer(), text="Seen.", idempotency_key="x" * 256
        )


def test_an_event_that_records_what_its_spec_does_not_name_is_never_written():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    events = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ValueError, match="secret"):
        run(ADD_NOTE, Call(case.public_id, officer, "note"), {"text": "Seen.", "secret": 1})

    assert CaseEvent.objects.filter(case=case).count() == events
