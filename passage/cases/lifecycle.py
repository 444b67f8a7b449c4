"""The legal lifecycle of a case as a plain transition table, and the rules for steps.

received -> triage -> in review -> decided (approved, refused) and, from any open
status, withdrawn. Nothing here touches the database: services ask, then write.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from passage.cases.errors import TransitionNotAllowed
from passage.cases.status import (
    FINISHED_STEP_STATES,
    OPEN_STATUSES,
    CaseStatus,
    StepState,
)


class Command(StrEnum):
    BEGIN_TRIAGE = "begin_triage"
    BEGIN_REVIEW = "begin_review"
    RECORD_STEP = "record_step"
    APPROVE = "approve"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    GRANT_ACCESS = "grant_access"
    REVOKE_ACCESS = "revoke_access"


TRANSITIONS: dict[tuple[CaseStatus, Command], CaseStatus] = {
    (CaseStatus.RECEIVED, Command.BEGIN_TRIAGE): CaseStatus.TRIAGE,
    (CaseStatus.TRIAGE, Command.BEGIN_REVIEW): CaseStatus.IN_REVIEW,
    (CaseStatus.TRIAGE, Command.RECORD_STEP): CaseStatus.TRIAGE,
    (CaseStatus.IN_REVIEW, Command.RECORD_STEP): CaseStatus.IN_REVIEW,
    (CaseStatus.IN_REVIEW, Command.APPROVE): CaseStatus.APPROVED,
    (CaseStatus.IN_REVIEW, Command.REFUSE): CaseStatus.REFUSED,
    **{(status, Command.WITHDRAW): CaseStatus.WITHDRAWN for status in OPEN_STATUSES},
    # Who may see a case can change at any time, even after the decision.
    **{(status, Command.GRANT_ACCESS): status for status in CaseStatus},
    **{(status, Command.REVOKE_ACCESS): status for status in CaseStatus},
}

STEP_TRANSITIONS: dict[StepState, frozenset[StepState]] = {
    StepState.NOT_STARTED: frozenset(
        {StepState.WAITING_ON_YOU, StepState.IN_PROGRESS, StepState.COMPLETED, StepState.EXEMPTED}
    ),
    StepState.WAITING_ON_YOU: frozenset(
        {StepState.IN_PROGRESS, StepState.COMPLETED, StepState.EXEMPTED}
    ),
    StepState.IN_PROGRESS: frozenset(
        {StepState.WAITING_ON_YOU, StepState.COMPLETED, StepState.EXEMPTED}
    ),
    # A finished step is final: a change of mind is a new decision, not an edit.
    StepState.COMPLETED: frozenset(),
    StepState.EXEMPTED: frozenset(),
}


def next_status(current: CaseStatus, command: Command) -> CaseStatus:
    """The status a command leads to, or TransitionNotAllowed with a clear message."""
    target = TRANSITIONS.get((CaseStatus(current), command))
    if target is None:
        raise TransitionNotAllowed(
            _("A case that is “%(status)s” cannot be %(command)s.")
            % {"status": CaseStatus(current).label, "command": COMMAND_WORDING[command]}
        )
    return target


def check_step_change(current: StepState, target: StepState) -> None:
    """Reject a step change that the step rules forbid."""
    if StepState(target) not in STEP_TRANSITIONS[StepState(current)]:
        raise TransitionNotAllowed(
            _("A step that is “%(current)s” cannot become “%(target)s”.")
            % {"current": StepState(current).label, "target": StepState(target).label}
        )


def all_steps_finished(states: list[StepState]) -> bool:
    return all(StepState(state) in FINISHED_STEP_STATES for state in states)


COMMAND_WORDING = {
    Command.BEGIN_TRIAGE: _("sent to triage"),
    Command.BEGIN_REVIEW: _("sent to review"),
    Command.RECORD_STEP: _("given a step update"),
    Command.APPROVE: _("approved"),
    Command.REFUSE: _("refused"),
    Command.WITHDRAW: _("withdrawn"),
    Command.GRANT_ACCESS: _("shared"),
    Command.REVOKE_ACCESS: _("unshared"),
}
