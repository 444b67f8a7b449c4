"""A case's columns rebuilt from its event log alone.

The case row is a projection of its events (docs/architecture.md, "The case spine"): every
command appends an event and updates the row in the same transaction. `fold` replays the
events the way the commands applied them, with no database, so that `passage audit
verify` can tell a row changed behind the log's back (a status set by hand, a decision
rewritten) from one the log explains. It also reports an event the lifecycle would not
have allowed, which no command could have written.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from passage.cases.errors import TransitionNotAllowed
from passage.cases.lifecycle import Command, next_status
from passage.cases.status import (
    RESIDENCE_EVENT_KINDS,
    CaseStatus,
    EventKind,
    RequestClosure,
    Step,
    StepState,
)

COMMAND_OF_KIND = {
    EventKind.TRIAGE_STARTED: Command.BEGIN_TRIAGE,
    EventKind.REVIEW_STARTED: Command.BEGIN_REVIEW,
    EventKind.STEP_RECORDED: Command.RECORD_STEP,
    EventKind.APPROVED: Command.APPROVE,
    EventKind.REFUSED: Command.REFUSE,
    EventKind.WITHDRAWN: Command.WITHDRAW,
    EventKind.ACCESS_GRANTED: Command.GRANT_ACCESS,
    EventKind.ACCESS_REVOKED: Command.REVOKE_ACCESS,
    EventKind.DOCUMENTS_REQUESTED: Command.REQUEST_DOCUMENTS,
    EventKind.DOCUMENTS_RECEIVED: Command.RECEIVE_DOCUMENTS,
    EventKind.DOCUMENTS_REQUEST_CLOSED: Command.CLOSE_DOCUMENT_REQUEST,
    EventKind.TRIAGE_ASSESSED: Command.RECORD_ASSESSMENT,
    EventKind.ASSIGNED: Command.ASSIGN,
    EventKind.UNASSIGNED: Command.UNASSIGN,
    EventKind.WORK_STARTED: Command.START_WORK,
    EventKind.NOTE_ADDED: Command.ADD_NOTE,
    EventKind.QUALITY_REVIEWED: Command.RECORD_QUALITY_REVIEW,
    EventKind.CONFLICT_DECLARED: Command.DECLARE_CONFLICT,
    EventKind.DOCUMENTS_SENT: Command.SEND_DOCUMENTS,
    EventKind.DETAILS_CHANGED: Command.REPORT_CHANGE,
    EventKind.INQUIRY_SENT: Command.SEND_INQUIRY,
    EventKind.DEADLINE_MOVED: Command.MOVE_DEADLINE,
    EventKind.DEADLINE_FLAGGED: Command.FLAG_DEADLINE,
    **{kind: Command.CONFIRM_RESIDENCE for kind in RESIDENCE_EVENT_KINDS},
}


@dataclass(frozen=True)
class Event:
    """What the fold reads of one event."""

    sequence: int
    kind: str
    actor_id: int | None
    occurred_at: datetime
    payload: dict[str, Any]
    hash: str


@dataclass
class Folded:
    """The case's columns as its log explains them (the names of `Case`'s fields)."""

    columns: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)


def fold(events: Iterable[Event]) -> Folded:
    """Replay a case's events, oldest first, into the columns its row must hold, with the
    sequence and a sentence for each event no command could have written."""
    folded = Folded()
    row = folded.columns
    open_requests: Counter[str] = Counter()
    for event in events:
        if event.kind == EventKind.SUBMITTED:
            row.update(_submitted(event))
        elif "status" not in row:
            folded.problems.append((event.sequence, "an event before the submission"))
            continue
        else:
            try:
                _apply(row, event, open_requests)
            except (TransitionNotAllowed, KeyError, ValueError, TypeError) as error:
                folded.problems.append((event.sequence, f"not a command's event: {error}"))
        row["version"] = row.get("version", 0) + 1
        row["last_event_sequence"] = event.sequence
        row["last_event_hash"] = event.hash
    return folded


def _submitted(event: Event) -> dict[str, Any]:
    at = event.occurred_at
    steps = {step.value: StepState.NOT_STARTED.value for step in Step}
    return {
        "status": CaseStatus.RECEIVED.value,
        "status_changed_at": at,
        "received_at": at,
        "category": event.payload.get("category", ""),
        **steps,
        **{f"{step}_changed_at": None for step in steps},
        "decided_at": None,
        "decided_by_id": None,
        "decision_reasons": "",
        "tier": None,
        "risk_area": "",
        "blind_review": False,
        "assigned_to_id": None,
        "assigned_at": None,
        "assignment_pinned": False,
        "work_started_at": None,
    }


# A file back in the queue: nobody's, unstarted and unpinned.
_BACK_TO_THE_QUEUE = {
    "assigned_to_id": None,
    "assigned_at": None,
    "assignment_pinned": False,
    "work_started_at": None,
}


def _apply(row: dict[str, Any], event: Event, open_requests: Counter[str]) -> None:
    """One command's effect on the row, as the command applied it (the specs of cases/commands/)."""
    kind, payload, at = EventKind(event.kind), event.payload, event.occurred_at
    target = next_status(CaseStatus(row["status"]), COMMAND_OF_KIND[kind])
    if kind == EventKind.STEP_RECORDED:
        _set_step(row, payload["step"], payload["state"], at)
    elif kind in (EventKind.APPROVED, EventKind.REFUSED):
        row.update(decided_at=at, decided_by_id=event.actor_id, decision_reasons=payload["reasons"])
    elif kind == EventKind.DOCUMENTS_REQUESTED:
        open_requests[payload["step"]] += 1
        _set_step(row, payload["step"], StepState.WAITING_ON_YOU, at)
    elif kind == EventKind.DOCUMENTS_RECEIVED:
        step = payload["step"]
        open_requests[step] -= 1
        if open_requests[step] <= 0 and row[step] == StepState.WAITING_ON_YOU:
            _set_step(row, step, StepState.IN_PROGRESS, at)
    elif kind == EventKind.DOCUMENTS_REQUEST_CLOSED:
        # Closed by the decision or withdrawal just before it; the steps stay as they were.
        step = Step(payload["step"]).value
        if payload["reason"] not in RequestClosure.values:
            raise ValueError(f"a request closed for no known reason: {payload['reason']!r}")
        if open_requests[step] <= 0:
            raise ValueError(f"a closed request of the {step} step that was not open")
        open_requests[step] -= 1
    elif kind == EventKind.TRIAGE_ASSESSED:
        row.update(
            tier=int(payload["tier"]),
            risk_area=payload.get("risk_area", ""),
            blind_review=row["blind_review"] or bool(payload.get("blind_review")),
        )
    elif kind == EventKind.ASSIGNED:
        # A supervisor's assignment is manual and pins the file; routing's unpins it.
        row["assignment_pinned"] = payload.get("manual") is True
        if row["assigned_to_id"] != payload["officer"]:
            row.update(assigned_to_id=payload["officer"], assigned_at=at, work_started_at=None)
    elif kind == EventKind.UNASSIGNED:
        row.update(_BACK_TO_THE_QUEUE)
    elif kind == EventKind.WORK_STARTED:
        if row["assigned_to_id"] != payload["officer"]:
            row.update(assigned_to_id=payload["officer"], assigned_at=at, assignment_pinned=False)
        row["work_started_at"] = at
    elif kind == EventKind.QUALITY_REVIEWED:
        row["blind_review"] = False
        _set_step(row, Step.ELIGIBILITY, StepState.COMPLETED, at)
    elif kind == EventKind.CONFLICT_DECLARED and row["assigned_to_id"] == event.actor_id:
        row.update(_BACK_TO_THE_QUEUE)
    if target != row["status"]:
        row.update(status=target.value, status_changed_at=at)


def _set_step(row: dict[str, Any], step: str, state: str, at: datetime) -> None:
    step = Step(step).value
    row[step] = StepState(state).value
    row[f"{step}_changed_at"] = at


# The columns `fold` rebuilds, compared with the row by `passage audit verify`.
FOLDED_COLUMNS = (
    "status",
    "status_changed_at",
    "received_at",
    "category",
    *[column for step in Step for column in (step.value, f"{step.value}_changed_at")],
    "decided_at",
    "decided_by_id",
    "decision_reasons",
    "tier",
    "risk_area",
    "blind_review",
    "assigned_to_id",
    "assigned_at",
    "assignment_pinned",
    "work_started_at",
    "version",
    "last_event_sequence",
    "last_event_hash",
)


def differences(folded: Folded, row: dict[str, Any]) -> list[str]:
    """The columns where the row says something other than its log."""
    return [column for column in FOLDED_COLUMNS if folded.columns.get(column) != row.get(column)]
