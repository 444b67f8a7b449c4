"""The legal lifecycle of a case as a plain transition table, and the rules for steps.

received -> triage -> in review -> decided (approved, refused) and, from any open
status, withdrawn. A decision or withdrawal then closes the document requests left open.
Nothing here touches the database: services ask, then write.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from passage.cases.errors import TransitionNotAllowed
from passage.cases.status import (
    DECIDED_STATUSES,
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
    RECORD_ASSESSMENT = "record_assessment"
    REQUEST_DOCUMENTS = "request_documents"
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    START_WORK = "start_work"
    ADD_NOTE = "add_note"
    RECORD_QUALITY_REVIEW = "record_quality_review"
    RECEIVE_DOCUMENTS = "receive_documents"
    DECLARE_CONFLICT = "declare_conflict"
    CLOSE_DOCUMENT_REQUEST = "close_document_request"
    SEND_DOCUMENTS = "send_documents"
    REPORT_CHANGE = "report_change"
    SEND_INQUIRY = "send_inquiry"
    MOVE_DEADLINE = "move_deadline"
    FLAG_DEADLINE = "flag_deadline"
    CONFIRM_RESIDENCE = "confirm_residence"


TRANSITIONS: dict[tuple[CaseStatus, Command], CaseStatus] = {
    (CaseStatus.RECEIVED, Command.BEGIN_TRIAGE): CaseStatus.TRIAGE,
    (CaseStatus.TRIAGE, Command.BEGIN_REVIEW): CaseStatus.IN_REVIEW,
    (CaseStatus.TRIAGE, Command.RECORD_STEP): CaseStatus.TRIAGE,
    (CaseStatus.IN_REVIEW, Command.RECORD_STEP): CaseStatus.IN_REVIEW,
    (CaseStatus.IN_REVIEW, Command.APPROVE): CaseStatus.APPROVED,
    (CaseStatus.IN_REVIEW, Command.REFUSE): CaseStatus.REFUSED,
    **{(status, Command.WITHDRAW): CaseStatus.WITHDRAWN for status in OPEN_STATUSES},
    **{(status, Command.RECORD_ASSESSMENT): status for status in OPEN_STATUSES},
    (CaseStatus.TRIAGE, Command.REQUEST_DOCUMENTS): CaseStatus.TRIAGE,
    (CaseStatus.IN_REVIEW, Command.REQUEST_DOCUMENTS): CaseStatus.IN_REVIEW,
    (CaseStatus.TRIAGE, Command.RECEIVE_DOCUMENTS): CaseStatus.TRIAGE,
    (CaseStatus.IN_REVIEW, Command.RECEIVE_DOCUMENTS): CaseStatus.IN_REVIEW,
    # Only the decision or withdrawal that ends a case closes its open requests, after it.
    **{(status, Command.CLOSE_DOCUMENT_REQUEST): status for status in DECIDED_STATUSES},
    **{(status, Command.ASSIGN): status for status in (CaseStatus.TRIAGE, CaseStatus.IN_REVIEW)},
    **{(status, Command.UNASSIGN): status for status in OPEN_STATUSES},
    (CaseStatus.IN_REVIEW, Command.START_WORK): CaseStatus.IN_REVIEW,
    (CaseStatus.IN_REVIEW, Command.RECORD_QUALITY_REVIEW): CaseStatus.IN_REVIEW,
    # What a client tells the department of their own accord, while the file is open.
    **{(status, Command.SEND_DOCUMENTS): status for status in OPEN_STATUSES},
    **{(status, Command.REPORT_CHANGE): status for status in OPEN_STATUSES},
    **{(status, Command.SEND_INQUIRY): status for status in OPEN_STATUSES},
    # Relief by rule changes what an open file asks of its clients, and when.
    **{(status, Command.MOVE_DEADLINE): status for status in OPEN_STATUSES},
    **{(status, Command.FLAG_DEADLINE): status for status in OPEN_STATUSES},
    # Notes can be added to any file, open or decided: they record the department's work.
    **{(status, Command.ADD_NOTE): status for status in CaseStatus},
    **{(status, Command.DECLARE_CONFLICT): status for status in CaseStatus},
    # The confirmation of permanent residence follows an approval, person by person.
    (CaseStatus.APPROVED, Command.CONFIRM_RESIDENCE): CaseStatus.APPROVED,
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
    Command.RECORD_ASSESSMENT: _("assessed by the rules"),
    Command.REQUEST_DOCUMENTS: _("sent a document request"),
    Command.ASSIGN: _("assigned"),
    Command.UNASSIGN: _("unassigned"),
    Command.START_WORK: _("started"),
    Command.ADD_NOTE: _("given a note"),
    Command.RECORD_QUALITY_REVIEW: _("given a quality review"),
    Command.RECEIVE_DOCUMENTS: _("sent documents"),
    Command.DECLARE_CONFLICT: _("given a declaration of conflict"),
    Command.CLOSE_DOCUMENT_REQUEST: _("cleared of its document requests"),
    Command.SEND_DOCUMENTS: _("sent documents"),
    Command.REPORT_CHANGE: _("given new contact details"),
    Command.SEND_INQUIRY: _("asked about"),
    Command.MOVE_DEADLINE: _("given a new due date"),
    Command.FLAG_DEADLINE: _("flagged for a time limit set by law"),
    Command.CONFIRM_RESIDENCE: _("taken through the confirmation of permanent residence"),
}
