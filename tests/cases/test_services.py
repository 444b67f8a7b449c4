import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passage import clock
from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.actors import SYSTEM
from passage.cases.errors import (
    CaseError,
    IdempotencyConflict,
    InvalidRequest,
    NotPermitted,
    StaleVersion,
    TransitionNotAllowed,
)
from passage.cases.models import Case, CaseEvent, CaseParty, DocumentRequest
from passage.cases.status import (
    ActorRole,
    CaseStatus,
    EventKind,
    RequestClosure,
    Step,
    StepState,
)
from tests.builders import (
    case_in_status,
    create_officer,
    create_user,
    finish_all_steps,
    refuse,
)
from tests.tracker.builders import ask_for_documents

pytestmark = pytest.mark.django_db


def test_recording_a_step_updates_the_case_and_appends_one_event():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)

    result = services.record_step(
        case_id=case.public_id,
        actor=officer,
        step=Step.MEDICAL,
        state=StepState.WAITING_ON_YOU,
        note="Medical exam requested.",
        idempotency_key="medical-1",
    )

    case.refresh_from_db()
    assert case.medical == StepState.WAITING_ON_YOU
    assert case.medical_changed_at == result.event.occurred_at
    assert result.event.kind == EventKind.STEP_RECORDED
    assert result.event.actor_role == ActorRole.OFFICER
    assert result.event.payload == {
        "step": "medical",
        "state": "waiting_on_you",
        "note": "Medical exam requested.",
    }
    assert case.last_event_hash == result.event.hash


def test_a_replayed_command_returns_the_first_event_and_writes_nothing():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    arguments = {
        "case_id": case.public_id,
        "actor": officer,
        "step": Step.BIOMETRICS,
        "state": StepState.COMPLETED,
        "idempotency_key": "bio-1",
    }

    first = services.record_step(**arguments)
    second = services.record_step(**arguments)

    assert not first.replayed
    assert second.replayed
    assert second.event.pk == first.event.pk
    assert CaseEvent.objects.filter(case=case, idempotency_key="bio-1").count() == 1


def test_the_same_key_with_a_different_command_is_rejected():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    services.record_step(
        case_id=case.public_id,
        actor=officer,
        step=Step.BIOMETRICS,
        state=StepState.COMPLETED,
        idempotency_key="key-1",
    )

    with pytest.raises(IdempotencyConflict):
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.MEDICAL,
            state=StepState.COMPLETED,
            idempotency_key="key-1",
        )


def test_another_person_cannot_replay_someone_elses_key():
    officer, colleague = create_officer(), create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    arguments = {"step": Step.MEDICAL, "state": StepState.COMPLETED, "idempotency_key": "k"}
    services.record_step(case_id=case.public_id, actor=officer, **arguments)

    with pytest.raises(IdempotencyConflict):
        services.record_step(case_id=case.public_id, actor=colleague, **arguments)


def test_a_stale_expected_version_is_rejected_with_the_current_version():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    seen_version = case.version
    services.record_step(
        case_id=case.public_id,
        actor=officer,
        step=Step.MEDICAL,
        state=StepState.IN_PROGRESS,
        idempotency_key="first",
        expected_version=seen_version,
    )

    with pytest.raises(StaleVersion) as error:
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.BACKGROUND,
            state=StepState.IN_PROGRESS,
            idempotency_key="second",
            expected_version=seen_version,
        )
    assert error.value.details["current_version"] == seen_version + 1
    assert error.value.http_status == 409


def test_a_missing_idempotency_key_is_rejected():
    officer = create_officer()
    case = case_in_status(CaseStatus.TRIAGE, officer=officer)

    with pytest.raises(InvalidRequest):
        services.begin_review(case_id=case.public_id, actor=officer, idempotency_key="")


def test_an_officer_refuses_with_reasons_and_the_case_records_who_and_why():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)

    result = services.record_decision(
        case_id=case.public_id,
        actor=officer,
        approve=False,
        reasons="Insurance does not cover the whole stay.",
        legal_grounds=["IRPR 179(b)"],
        idempotency_key="refuse",
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED
    assert case.decided_by == officer
    assert case.decision_reasons == "Insurance does not cover the whole stay."
    assert result.event.payload["legal_grounds"] == ["IRPR 179(b)"]


def test_the_system_can_never_refuse():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(NotPermitted):
        services.record_decision(
            case_id=case.public_id,
            actor=SYSTEM,
            approve=False,
            reasons="Automated refusal attempt.",
            idempotency_key="refuse",
        )

    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.SUPERVISOR, Role.ANALYST])
def test_nobody_but_an_officer_can_refuse(role):
    case = case_in_status(CaseStatus.IN_REVIEW)
    person = create_user(role)

    with pytest.raises(NotPermitted):
        services.record_decision(
            case_id=case.public_id,
            actor=person,
            approve=False,
            reasons="Not eligible.",
            idempotency_key="refuse",
        )


def test_a_refusal_without_reasons_is_rejected():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)

    with pytest.raises(InvalidRequest) as error:
        services.record_decision(
            case_id=case.public_id,
            actor=officer,
            approve=False,
            reasons="   ",
            idempotency_key="refuse",
        )
    assert "reasons" in error.value.details["errors"]


def test_the_system_may_approve_a_case_whose_steps_are_all_finished():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    finish_all_steps(case, SYSTEM, StepState.EXEMPTED)

    result = services.record_decision(
        case_id=case.public_id, actor=SYSTEM, approve=True, idempotency_key="approve"
    )

    assert result.case.status == CaseStatus.APPROVED
    assert result.event.actor_role == ActorRole.SYSTEM
    assert result.case.decided_by is None


def test_the_database_refuses_a_refusal_event_by_the_system():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            sequence=case.last_event_sequence + 1,
            kind=EventKind.REFUSED,
            actor=None,
            actor_role=ActorRole.SYSTEM,
            occurred_at=case.received_at,
            payload={},
            previous_hash=case.last_event_hash,
            hash="f" * 64,
        )


def test_the_database_refuses_a_refused_case_without_a_person_and_reasons():
    case = case_in_status(CaseStatus.IN_REVIEW)

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.REFUSED)


def test_the_database_refuses_to_change_an_event():
    case = case_in_status(CaseStatus.TRIAGE)

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(kind=EventKind.APPROVED)


def test_an_applicant_withdraws_their_own_application():
    case = case_in_status(CaseStatus.TRIAGE)

    result = services.withdraw_application(
        case_id=case.public_id,
        actor=case.application.applicant,
        reason="Plans changed.",
        idempotency_key="withdraw",
    )

    assert result.case.status == CaseStatus.WITHDRAWN
    assert result.event.actor_role == ActorRole.APPLICANT


def test_a_stranger_cannot_withdraw_someone_elses_application():
    case = case_in_status(CaseStatus.RECEIVED)

    with pytest.raises(NotPermitted):
        services.withdraw_application(
            case_id=case.public_id, actor=create_user(Role.APPLICANT), idempotency_key="w"
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_granting_and_revoking_access_are_events_in_the_log():
    case = case_in_status(CaseStatus.IN_REVIEW)
    applicant, representative = case.application.applicant, create_user(Role.REPRESENTATIVE)
    access = {"case_id": case.public_id, "person": representative, "role": "representative"}

    granted = services.grant_access(**access, actor=applicant, idempotency_key="grant")
    revoked = services.revoke_access(**access, actor=representative, idempotency_key="quit")

    assert (granted.event.kind, granted.event.actor_role) == (EventKind.ACCESS_GRANTED, "applicant")
    assert (revoked.event.kind, revoked.event.actor_role) == (
        EventKind.ACCESS_REVOKED,
        "representative",
    )
    assert granted.event.payload == {"person": representative.pk, "role": "representative"}
    party = CaseParty.objects.get(case=case, person=representative)
    assert party.revoked_at == revoked.event.occurred_at


def test_a_stranger_cannot_give_anyone_access_to_a_case():
    case = case_in_status(CaseStatus.RECEIVED)

    with pytest.raises(NotPermitted):
        services.grant_access(
            case_id=case.public_id,
            actor=create_user(Role.APPLICANT),
            person=create_user(Role.REPRESENTATIVE),
            role="representative",
            idempotency_key="grant",
        )
    assert case.parties.count() == 1


# Any sequence of commands by the system actor, in any order, never ends in a refusal.
SYSTEM_COMMANDS = st.lists(
    st.one_of(
        st.just(("begin_triage",)),
        st.just(("begin_review",)),
        st.tuples(st.just("step"), st.sampled_from(list(Step)), st.sampled_from(list(StepState))),
        st.tuples(st.just("decide"), st.booleans()),
        st.tuples(
            st.just("assess"),
            st.sampled_from(["eligible_auto", "needs_officer"]),
            st.sampled_from([1, 2, 3]),
        ),
        st.just(("assign",)),
        st.just(("unassign",)),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=SYSTEM_COMMANDS)
def test_no_sequence_of_system_commands_produces_a_refusal(commands):
    with transaction.atomic():
        case = case_in_status(CaseStatus.RECEIVED)
        officer = create_officer()
        for index, command in enumerate(commands):
            key = f"system-{index}"
            try:
                if command[0] == "begin_triage":
                    services.begin_triage(case_id=case.public_id, actor=SYSTEM, idempotency_key=key)
                elif command[0] == "begin_review":
                    services.begin_review(case_id=case.public_id, actor=SYSTEM, idempotency_key=key)
                elif command[0] == "step":
                    services.record_step(
                        case_id=case.public_id,
                        actor=SYSTEM,
                        step=command[1],
                        state=command[2],
                        idempotency_key=key,
                    )
                elif command[0] == "assess":
                    services.record_assessment(
                        case_id=case.public_id,
                        assessment={"outcome": command[1], "tier": command[2], "criteria": []},
                        idempotency_key=key,
                    )
                elif command[0] == "assign":
                    services.assign_officer(
                        case_id=case.public_id,
                        actor=SYSTEM,
                        officer=officer,
                        reasons={"by": "routing"},
                        idempotency_key=key,
                    )
                elif command[0] == "unassign":
                    services.unassign_officer(
                        case_id=case.public_id, actor=SYSTEM, idempotency_key=key
                    )
                else:
                    services.record_decision(
                        case_id=case.public_id,
                        actor=SYSTEM,
                        approve=command[1],
                        reasons="automated",
                        idempotency_key=key,
                    )
            except CaseError:
                pass
        assert Case.objects.get(pk=case.pk).status != CaseStatus.REFUSED
        assert not CaseEvent.objects.filter(case=case, kind=EventKind.REFUSED).exists()
        transaction.set_rollback(True)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_with_the_same_version_let_exactly_one_through():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    seen_version = case.version
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def edit(index: int) -> None:
        try:
            barrier.wait()
            services.record_step(
                case_id=case.public_id,
                actor=officer,
                step=list(Step)[index % 4],
                state=StepState.IN_PROGRESS,
                idempotency_key=f"edit-{index}",
                expected_version=seen_version,
            )
            outcomes.append("ok")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["stale"] * 7
    assert Case.objects.get(pk=case.pk).version == seen_version + 1


# --- A decided case asks nothing more ---------------------------------------------------


def answer(case, request, key="answer"):
    return services.receive_documents(
        case_id=case.public_id,
        actor=case.application.applicant,
        request_id=request.pk,
        documents=[{"filename": "photo.pdf", "sha256": "0" * 64, "size": 1}],
        idempotency_key=key,
        attach=lambda case, at: None,
    )


def closures_after(event):
    return list(
        CaseEvent.objects.filter(case=event.case, sequence__gt=event.sequence).order_by("sequence")
    )


def test_a_refusal_closes_every_open_document_request_each_with_an_event():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    biometrics = ask_for_documents(case, officer, Step.BIOMETRICS)
    background = ask_for_documents(case, officer, Step.BACKGROUND)
    medical = ask_for_documents(case, officer, Step.MEDICAL)
    answer(case, medical)

    refusal = refuse(case, officer).event

    closures = closures_after(refusal)
    assert [(event.kind, event.payload) for event in closures] == [
        (
            EventKind.DOCUMENTS_REQUEST_CLOSED,
            {"request": biometrics.pk, "step": "biometrics", "reason": "decided"},
        ),
        (
            EventKind.DOCUMENTS_REQUEST_CLOSED,
            {"request": background.pk, "step": "background", "reason": "decided"},
        ),
    ]
    assert {(e.actor_id, e.actor_role, e.occurred_at) for e in closures} == {
        (officer.pk, ActorRole.OFFICER, refusal.occurred_at)
    }
    for request in (biometrics, background):
        request.refresh_from_db()
        assert (request.closed_at, request.closed_because) == (
            refusal.occurred_at,
            RequestClosure.DECIDED,
        )
        assert request.answered_at is None
    medical.refresh_from_db()
    assert (medical.answered_at is not None, medical.closed_at) == (True, None)
    assert not DocumentRequest.objects.filter(case=case).open().exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED
    assert case.last_event_sequence == closures[-1].sequence
    assert case.last_event_hash == closures[-1].hash


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_while_a_request_is_open_needs_the_deciders_confirmation(approve):
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    request = ask_for_documents(case, officer, Step.BIOMETRICS)
    finish_all_steps(case, officer)
    before = Case.objects.get(pk=case.pk)

    with pytest.raises(InvalidRequest) as refused:
        refuse(case, officer, approve=approve, close_open_requests=False)

    assert refused.value.message == (
        "The client has not answered a document request yet. Confirm that the decision closes it."
    )
    assert refused.value.details["errors"] == {
        "close_open_requests": "Confirm that the decision closes the open document request."
    }
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version) == (CaseStatus.IN_REVIEW, before.version)
    assert DocumentRequest.objects.get(pk=request.pk).is_open


def test_a_decision_with_no_request_open_needs_no_confirmation():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    answer(case, ask_for_documents(case, officer, Step.MEDICAL))

    refusal = refuse(case, officer, close_open_requests=False).event

    assert closures_after(refusal) == []
    assert Case.objects.get(pk=case.pk).last_event_sequence == refusal.sequence


def test_a_withdrawal_closes_the_open_requests_as_withdrawn_by_the_client():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    request = ask_for_documents(case, officer, Step.BIOMETRICS)

    withdrawal = services.withdraw_application(
        case_id=case.public_id,
        actor=case.application.applicant,
        reason="Plans changed.",
        idempotency_key="withdraw",
    ).event

    (closure,) = closures_after(withdrawal)
    assert closure.kind == EventKind.DOCUMENTS_REQUEST_CLOSED
    assert closure.payload == {"request": request.pk, "step": "biometrics", "reason": "withdrawn"}
    assert (closure.actor_id, closure.actor_role) == (
        case.application.applicant.pk,
        ActorRole.APPLICANT,
    )
    request.refresh_from_db()
    assert request.closed_because == RequestClosure.WITHDRAWN


def test_a_replayed_decision_closes_nothing_twice():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    ask_for_documents(case, officer, Step.BIOMETRICS)
    first = refuse(case, officer)
    sequence = Case.objects.get(pk=case.pk).last_event_sequence

    again = refuse(case, officer)

    assert (again.replayed, again.event.pk) == (True, first.event.pk)
    assert Case.objects.get(pk=case.pk).last_event_sequence == sequence
    assert CaseEvent.objects.filter(kind=EventKind.DOCUMENTS_REQUEST_CLOSED).count() == 1


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (
            "refuse",
            "This request is closed: a decision was made on the application, so we no longer "
            "need these documents.",
        ),
        (
            "withdraw",
            "This request is closed: the application was withdrawn, so we no longer need "
            "these documents.",
        ),
    ],
)
def test_a_request_closed_with_its_case_can_no_longer_be_answered_and_says_why(end, message):
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    request = ask_for_documents(case, officer, Step.BIOMETRICS)
    if end == "refuse":
        refuse(case, officer)
    else:
        services.withdraw_application(
            case_id=case.public_id, actor=case.application.applicant, idempotency_key="withdraw"
        )
    sequence = Case.objects.get(pk=case.pk).last_event_sequence

    with pytest.raises(TransitionNotAllowed) as refused:
        answer(case, request)

    assert refused.value.message == message
    assert Case.objects.get(pk=case.pk).last_event_sequence == sequence
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is None


def test_a_request_left_open_on_a_case_decided_before_requests_closed_says_why_too():
    # A request of a case decided before decisions closed them: still open in its row.
    officer = create_officer()
    case = case_in_status(CaseStatus.REFUSED, officer=officer)
    request = DocumentRequest.objects.create(
        case=case,
        step=Step.BIOMETRICS,
        items=["Passport photo"],
        due_on=clock.now().date() + timedelta(days=21),
        requested_at=clock.now(),
        requested_by=officer,
    )

    with pytest.raises(TransitionNotAllowed, match="a decision was made on the application"):
        answer(case, request)
