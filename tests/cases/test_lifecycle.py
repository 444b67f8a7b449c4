"""Every transition the lifecycle forbids is rejected by the services, and changes nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.actors import SYSTEM
from passage.cases.commands.engine import close_open_requests
from passage.cases.commands.specs import CLOSES_WHEN_DECIDED
from passage.cases.errors import TransitionNotAllowed
from passage.cases.lifecycle import STEP_TRANSITIONS, TRANSITIONS, Command
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import ActorRole, CaseStatus, PartyRole, Step, StepState
from tests.builders import case_in_status, create_officer, create_user, finish_all_steps

pytestmark = pytest.mark.django_db


def run_command(command: Command, case: Case, officer) -> None:
    key = f"attempt-{command}"
    if command == Command.BEGIN_TRIAGE:
        services.begin_triage(case_id=case.public_id, actor=SYSTEM, idempotency_key=key)
    elif command == Command.BEGIN_REVIEW:
        services.begin_review(case_id=case.public_id, actor=officer, idempotency_key=key)
    elif command == Command.RECORD_STEP:
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.MEDICAL,
            state=StepState.IN_PROGRESS,
            idempotency_key=key,
        )
    elif command == Command.APPROVE:
        services.record_decision(
            case_id=case.public_id, actor=officer, approve=True, idempotency_key=key
        )
    elif command == Command.REFUSE:
        services.record_decision(
            case_id=case.public_id,
            actor=officer,
            approve=False,
            reasons="Not a genuine temporary resident.",
            idempotency_key=key,
        )
    elif command == Command.WITHDRAW:
        services.withdraw_application(
            case_id=case.public_id, actor=case.application.applicant, idempotency_key=key
        )
    elif command == Command.RECORD_ASSESSMENT:
        services.record_assessment(
            case_id=case.public_id,
            assessment={"outcome": "eligible_auto", "tier": 1, "criteria": []},
            blind_review=True,
            idempotency_key=key,
        )
    elif command == Command.REQUEST_DOCUMENTS:
        services.request_documents(
            case_id=case.public_id,
            actor=officer,
            step=Step.MEDICAL,
            items=["Medical exam results"],
            due_on=datetime.now(UTC).date() + timedelta(days=30),
            idempotency_key=key,
        )
    elif command == Command.ASSIGN:
        services.assign_officer(
            case_id=case.public_id,
            actor=SYSTEM,
            officer=officer,
            reasons={"by": "routing"},
            idempotency_key=key,
        )
    elif command == Command.UNASSIGN:
        services.unassign_officer(case_id=case.public_id, actor=SYSTEM, idempotency_key=key)
    elif command == Command.START_WORK:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            services.start_work(
                case=locked, officer=officer, idempotency_key=key, reasons={}, now=timezone.now()
            )
    elif command == Command.ADD_NOTE:
        # A file no officer can hold yet (received, or withdrawn before triage) takes a
        # note from a supervisor of an office that processes its program.
        held = Case.objects.get(pk=case.pk).assigned_to_id == officer.pk
        services.add_note(
            case_id=case.public_id,
            actor=officer if held else create_user(Role.SUPERVISOR, office=officer.office),
            text="Called the client.",
            idempotency_key=key,
        )
    elif command == Command.RECORD_QUALITY_REVIEW:
        if case.status == CaseStatus.IN_REVIEW:
            services.record_assessment(
                case_id=case.public_id,
                assessment={"outcome": "eligible_auto", "tier": 1, "criteria": []},
                blind_review=True,
                idempotency_key=f"{key}-assess",
            )
        services.record_quality_review(
            case_id=case.public_id,
            actor=officer,
            eligible=True,
            reasons="",
            idempotency_key=key,
        )
    elif command == Command.RECEIVE_DOCUMENTS:
        request = DocumentRequest.objects.create(
            case=case,
            step=Step.MEDICAL,
            items=["Medical exam results"],
            due_on=datetime.now(UTC).date() + timedelta(days=30),
            requested_at=timezone.now(),
            requested_by=officer,
        )
        services.receive_documents(
            case_id=case.public_id,
            actor=case.application.applicant,
            request_id=request.pk,
            documents=[{"filename": "statement.pdf", "sha256": "0" * 64, "size": 1}],
            idempotency_key=key,
            attach=lambda case, at: None,
        )
    elif command == Command.CLOSE_DOCUMENT_REQUEST:
        # Never run on its own: the engine closes what a decision or withdrawal leaves open.
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            DocumentRequest.objects.create(
                case=locked,
                step=Step.MEDICAL,
                items=["Medical exam results"],
                due_on=datetime.now(UTC).date() + timedelta(days=30),
                requested_at=timezone.now(),
                requested_by=officer,
            )
            close_open_requests(
                locked,
                CLOSES_WHEN_DECIDED,
                actor=officer,
                role=ActorRole.OFFICER,
                at=timezone.now(),
            )
            locked.save()
    elif command == Command.SEND_DOCUMENTS:
        services.send_documents(
            case_id=case.public_id,
            actor=case.application.applicant,
            description="A new passport",
            documents=[{"filename": "passport.pdf", "sha256": "0" * 64, "size": 1}],
            idempotency_key=key,
            attach=lambda case, at: None,
        )
    elif command == Command.REPORT_CHANGE:
        services.report_change(
            case_id=case.public_id,
            actor=case.application.applicant,
            changes={"phone": "+1 613 555 0100"},
            idempotency_key=key,
        )
    elif command == Command.SEND_INQUIRY:
        services.send_inquiry(
            case_id=case.public_id,
            actor=case.application.applicant,
            thread=str(uuid.uuid4()),
            idempotency_key=key,
        )
    elif command in (Command.MOVE_DEADLINE, Command.FLAG_DEADLINE):
        due_on = datetime.now(UTC).date() + timedelta(days=30)
        request = DocumentRequest.objects.create(
            case=case,
            step=Step.MEDICAL,
            items=["Medical exam results"],
            due_on=due_on,
            set_due_on=due_on,
            requested_at=timezone.now(),
            requested_by=officer,
        )
        moved = command == Command.MOVE_DEADLINE
        services.apply_deadline_change(
            case_id=case.public_id,
            change=services.DeadlineChange(
                request_id=request.pk,
                step=Step.MEDICAL,
                set_due_on=due_on,
                was_due_on=due_on,
                relief_version=0,
                was_flagged=False,
                due_on=due_on + timedelta(days=1 if moved else 0),
                outages=("OUT-2026-0001",),
                flagged=not moved,
            ),
            now=timezone.now(),
        )
    elif command == Command.CONFIRM_RESIDENCE:
        # The confirmation of permanent residence's first step, as an approval makes it.
        from passage.cases.commands.engine import Call, run
        from passage.residence.specs import INVITE

        run(INVITE, Call(case.public_id, SYSTEM, key), {"person": 0, "due": "2027-06-01"})
    elif command in (Command.GRANT_ACCESS, Command.REVOKE_ACCESS):
        grant_or_revoke = (
            services.grant_access if command == Command.GRANT_ACCESS else services.revoke_access
        )
        grant_or_revoke(
            case_id=case.public_id,
            actor=case.application.applicant,
            person=create_user(Role.REPRESENTATIVE),
            role=PartyRole.REPRESENTATIVE,
            idempotency_key=key,
        )


FORBIDDEN = [
    (status, command)
    for status in CaseStatus
    for command in Command
    if (status, command) not in TRANSITIONS
]


@pytest.mark.parametrize(("status", "command"), FORBIDDEN)
def test_a_forbidden_transition_is_rejected_and_leaves_the_case_as_it_was(status, command):
    officer = create_officer()
    case = case_in_status(status, officer=officer)
    before = Case.objects.get(pk=case.pk)

    with pytest.raises(TransitionNotAllowed):
        run_command(command, case, officer)

    after = Case.objects.get(pk=case.pk)
    assert after.status == before.status
    assert after.version == before.version
    assert after.events.count() == before.last_event_sequence


@pytest.mark.parametrize(("status", "command"), sorted(TRANSITIONS))
def test_an_allowed_transition_reaches_its_target_status(status, command):
    officer = create_officer()
    case = case_in_status(status, officer=officer)
    if command == Command.APPROVE:
        finish_all_steps(case, officer, StepState.EXEMPTED)

    run_command(command, case, officer)

    assert Case.objects.get(pk=case.pk).status == TRANSITIONS[(status, command)]


def test_decided_cases_accept_nothing_but_notes_conflicts_access_closing_and_residence():
    decided = {CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN}
    commands = {command for status, command in TRANSITIONS if status in decided}
    assert commands == {
        Command.GRANT_ACCESS,
        Command.REVOKE_ACCESS,
        Command.ADD_NOTE,
        Command.DECLARE_CONFLICT,
        # The requests the decision or withdrawal left open, closed right after it.
        Command.CLOSE_DOCUMENT_REQUEST,
        # After an approval, the people who become permanent residents confirm it.
        Command.CONFIRM_RESIDENCE,
    }


FORBIDDEN_STEP_CHANGES = [
    (current, target)
    for current in StepState
    for target in StepState
    if target not in STEP_TRANSITIONS[current]
]


@pytest.mark.parametrize(("current", "target"), FORBIDDEN_STEP_CHANGES)
def test_a_forbidden_step_change_is_rejected(current, target):
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    if current != StepState.NOT_STARTED:
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.BACKGROUND,
            state=current,
            idempotency_key="arrange",
        )

    with pytest.raises(TransitionNotAllowed):
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=Step.BACKGROUND,
            state=target,
            idempotency_key="attempt",
        )

    assert Case.objects.get(pk=case.pk).background == current


def test_approval_waits_until_every_step_is_completed_or_exempted():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    for step in (Step.ELIGIBILITY, Step.BACKGROUND, Step.MEDICAL):
        services.record_step(
            case_id=case.public_id,
            actor=officer,
            step=step,
            state=StepState.COMPLETED,
            idempotency_key=f"done-{step}",
        )

    with pytest.raises(TransitionNotAllowed, match="Every step"):
        services.record_decision(
            case_id=case.public_id, actor=officer, approve=True, idempotency_key="approve"
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_the_rejection_message_names_the_status_in_plain_words():
    officer = create_officer()
    case = case_in_status(CaseStatus.APPROVED, officer=officer)

    with pytest.raises(TransitionNotAllowed) as error:
        run_command(Command.WITHDRAW, case, officer)

    assert "Decided: approved" in str(error.value)
    assert "withdrawn" in str(error.value)
