"""Commands on a case after submission: triage, review, steps, decisions, withdrawal, and
what clients tell the department of their own accord.

The name the rest of Passage imports them by. Each is described once as data and carried
out by one engine (`passage.cases.commands`), in one transaction: lock the case row,
replay or reject a reused idempotency key, check the expected version, check the
lifecycle, append the event and update the projection together.
"""

from passage.cases.commands.client_notices import report_change, send_documents, send_inquiry
from passage.cases.commands.clients import (
    grant_access,
    receive_documents,
    refuse_closed_request,
    request_documents,
    revoke_access,
    withdraw_application,
)
from passage.cases.commands.deadlines import DeadlineChange, apply_deadline_change
from passage.cases.commands.engine import MAX_TEXT, CommandResult
from passage.cases.commands.progress import (
    begin_review,
    begin_triage,
    eligibility_finding,
    record_assessment,
    record_decision,
    record_quality_review,
    record_step,
)
from passage.cases.commands.staff import (
    add_note,
    assign_officer,
    declare_conflict,
    start_work,
    unassign_officer,
)

__all__ = [
    "MAX_TEXT",
    "CommandResult",
    "DeadlineChange",
    "add_note",
    "apply_deadline_change",
    "assign_officer",
    "begin_review",
    "begin_triage",
    "declare_conflict",
    "eligibility_finding",
    "grant_access",
    "receive_documents",
    "record_assessment",
    "record_decision",
    "record_quality_review",
    "record_step",
    "refuse_closed_request",
    "report_change",
    "request_documents",
    "revoke_access",
    "send_documents",
    "send_inquiry",
    "start_work",
    "unassign_officer",
    "withdraw_application",
]
