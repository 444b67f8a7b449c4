"""Every case command, described once as data.

Each spec names the lifecycle row the command follows (`lifecycle.TRANSITIONS` says the
statuses it may start from and the status it leads to), the event it appends, who may run
it and in which role (and on which files: staff act only on their own, `who.py`), the keys
its event records, the email its clients get, and, for
the commands that end a case, the document requests they close. The
functions beside this module validate their input and say what the command changes on the
row; `engine.run` does the rest the same way for all.
"""

from django.utils.translation import gettext_lazy as _

from passage.cases.commands.engine import Closes, CommandSpec, Notice
from passage.cases.commands.who import (
    ANY_STAFF_OR_SYSTEM,
    APPLICANT_STAFF_OR_SYSTEM,
    CLIENTS,
    CLIENTS_OR_OFFICERS,
    STAFF_OR_SYSTEM,
    THE_SYSTEM,
    WITH_THE_END_OF_THE_CASE,
    officers,
    officers_taking,
    reviewing_officer,
    supervisors_or_system,
)
from passage.cases.lifecycle import Command
from passage.cases.status import EventKind, RequestClosure

BEGIN_TRIAGE = CommandSpec(
    command=Command.BEGIN_TRIAGE,
    kind=EventKind.TRIAGE_STARTED,
    who=STAFF_OR_SYSTEM,
    records=(),
)
BEGIN_REVIEW = CommandSpec(
    command=Command.BEGIN_REVIEW,
    kind=EventKind.REVIEW_STARTED,
    who=STAFF_OR_SYSTEM,
    records=(),
)
RECORD_STEP = CommandSpec(
    command=Command.RECORD_STEP,
    kind=EventKind.STEP_RECORDED,
    who=STAFF_OR_SYSTEM,
    records=("step", "state", "note", "eligible"),
)
# Never run on its own: run by the commands that end a case, for each request left open.
CLOSE_DOCUMENT_REQUEST = CommandSpec(
    command=Command.CLOSE_DOCUMENT_REQUEST,
    kind=EventKind.DOCUMENTS_REQUEST_CLOSED,
    who=WITH_THE_END_OF_THE_CASE,
    records=("request", "step", "reason"),
)
CLOSES_WHEN_DECIDED = Closes(spec=CLOSE_DOCUMENT_REQUEST, reason=RequestClosure.DECIDED)
APPROVE = CommandSpec(
    command=Command.APPROVE,
    kind=EventKind.APPROVED,
    who=STAFF_OR_SYSTEM,
    records=("reasons", "legal_grounds"),
    notify=Notice(template="status_changed", kind="case.decided"),
    closes=CLOSES_WHEN_DECIDED,
    letter="approval",
)
REFUSE = CommandSpec(
    command=Command.REFUSE,
    kind=EventKind.REFUSED,
    # Never the system: a refusal is a person's decision.
    who=officers(_("Only an officer can refuse an application.")),
    records=("reasons", "legal_grounds"),
    notify=Notice(template="status_changed", kind="case.decided"),
    closes=CLOSES_WHEN_DECIDED,
    letter="refusal",
)
WITHDRAW = CommandSpec(
    command=Command.WITHDRAW,
    kind=EventKind.WITHDRAWN,
    who=CLIENTS_OR_OFFICERS,
    records=("reason",),
    closes=Closes(spec=CLOSE_DOCUMENT_REQUEST, reason=RequestClosure.WITHDRAWN),
    letter="withdrawal",
)
GRANT_ACCESS = CommandSpec(
    command=Command.GRANT_ACCESS,
    kind=EventKind.ACCESS_GRANTED,
    who=APPLICANT_STAFF_OR_SYSTEM,
    records=("person", "role", "by"),
)
REVOKE_ACCESS = CommandSpec(
    command=Command.REVOKE_ACCESS,
    kind=EventKind.ACCESS_REVOKED,
    who=APPLICANT_STAFF_OR_SYSTEM,
    records=("person", "role"),
)
RECORD_ASSESSMENT = CommandSpec(
    command=Command.RECORD_ASSESSMENT,
    kind=EventKind.TRIAGE_ASSESSED,
    who=THE_SYSTEM,
    # The interchange result line as it came, with the risk area and blind review.
    records=None,
)
REQUEST_DOCUMENTS = CommandSpec(
    command=Command.REQUEST_DOCUMENTS,
    kind=EventKind.DOCUMENTS_REQUESTED,
    who=officers(_("Only an officer can ask for documents.")),
    records=("step", "items", "due_on", "message", "statutory"),
    notify=Notice(template="documents_requested", kind="documents.requested", per_step=True),
)
RECEIVE_DOCUMENTS = CommandSpec(
    command=Command.RECEIVE_DOCUMENTS,
    kind=EventKind.DOCUMENTS_RECEIVED,
    who=CLIENTS,
    records=("request", "step", "documents"),
)
ASSIGN = CommandSpec(
    command=Command.ASSIGN,
    kind=EventKind.ASSIGNED,
    who=supervisors_or_system(_("Only a supervisor can reassign files.")),
    # Routing's: the officer and its reasons; a supervisor's (manual): the officer, who
    # chose them and the reason they gave, and whether the file was outside the offices and
    # programs the officer reads (an exception to their reach, `workbench/selectors.py`).
    records=("officer", "reasons", "manual", "by", "reason", "outside_reach"),
)
UNASSIGN = CommandSpec(
    command=Command.UNASSIGN,
    kind=EventKind.UNASSIGNED,
    who=supervisors_or_system(_("Only a supervisor can unassign files.")),
    records=("reason",),
)
START_WORK = CommandSpec(
    command=Command.START_WORK,
    kind=EventKind.WORK_STARTED,
    who=officers_taking(_("Only an officer can take a file.")),
    records=("officer", "reasons"),
)
ADD_NOTE = CommandSpec(
    command=Command.ADD_NOTE,
    kind=EventKind.NOTE_ADDED,
    who=STAFF_OR_SYSTEM,
    records=("text",),
)
RECORD_QUALITY_REVIEW = CommandSpec(
    command=Command.RECORD_QUALITY_REVIEW,
    kind=EventKind.QUALITY_REVIEWED,
    who=reviewing_officer(_("Only an officer can record a quality review.")),
    records=("eligible", "reasons", "automated_outcome", "agreed"),
)
# What a client tells the department of their own accord.
SEND_DOCUMENTS = CommandSpec(
    command=Command.SEND_DOCUMENTS,
    kind=EventKind.DOCUMENTS_SENT,
    who=CLIENTS,
    records=("description", "documents"),
)
REPORT_CHANGE = CommandSpec(
    command=Command.REPORT_CHANGE,
    kind=EventKind.DETAILS_CHANGED,
    who=CLIENTS,
    # The fields that changed, each with its new value (never the old one).
    records=("changes",),
)
SEND_INQUIRY = CommandSpec(
    command=Command.SEND_INQUIRY,
    kind=EventKind.INQUIRY_SENT,
    who=CLIENTS,
    records=("thread",),
)
# Relief by rule (`passage.continuity.relief`): a document request's due date moved by
# the outages that touched it, or moved back when they were corrected; a statutory limit
# an outage touched, flagged to the officer.
MOVE_DEADLINE = CommandSpec(
    command=Command.MOVE_DEADLINE,
    kind=EventKind.DEADLINE_MOVED,
    who=THE_SYSTEM,
    records=("request", "step", "from", "to", "set", "outages"),
    notify=Notice(template="deadline_moved", kind="deadline.moved", per_step=True),
)
# The same, when only the outages behind a moved date change (one corrected, another
# still moving it to the same day): recorded, and nobody is emailed about the same date.
RESTATE_DEADLINE = CommandSpec(
    command=Command.MOVE_DEADLINE,
    kind=EventKind.DEADLINE_MOVED,
    who=THE_SYSTEM,
    records=("request", "step", "from", "to", "set", "outages"),
)
FLAG_DEADLINE = CommandSpec(
    command=Command.FLAG_DEADLINE,
    kind=EventKind.DEADLINE_FLAGGED,
    who=THE_SYSTEM,
    records=("request", "step", "due", "outages", "flagged"),
)
DECLARE_CONFLICT = CommandSpec(
    command=Command.DECLARE_CONFLICT,
    kind=EventKind.CONFLICT_DECLARED,
    # Anyone who may see the file declares a conflict with it, whoever has it.
    who=ANY_STAFF_OR_SYSTEM,
    records=("kind", "note"),
)

SPECS: tuple[CommandSpec, ...] = (
    BEGIN_TRIAGE,
    BEGIN_REVIEW,
    RECORD_STEP,
    APPROVE,
    REFUSE,
    WITHDRAW,
    GRANT_ACCESS,
    REVOKE_ACCESS,
    RECORD_ASSESSMENT,
    REQUEST_DOCUMENTS,
    RECEIVE_DOCUMENTS,
    CLOSE_DOCUMENT_REQUEST,
    ASSIGN,
    UNASSIGN,
    START_WORK,
    ADD_NOTE,
    RECORD_QUALITY_REVIEW,
    DECLARE_CONFLICT,
    SEND_DOCUMENTS,
    REPORT_CHANGE,
    SEND_INQUIRY,
    MOVE_DEADLINE,
    FLAG_DEADLINE,
)
