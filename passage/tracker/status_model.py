"""The one status model of a case as its clients see it. The tracker page, the tracker
API and the officer's "what the client sees" panel all render a `TrackerView`, so they
cannot disagree.

A sponsor sees the sponsorship part: the overall status and the eligibility step, and the
requests and history of that step; the other steps concern the sponsored person.

A step "Waiting on you" says what to do: send the documents of its open request by their
due date, or what the step needs. A decided or withdrawn case asks nothing more: no
documents are due, and a step left waiting on the client is "No longer needed".
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

import orjson
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from passage.cases.parties import client_sees_event, covers_step
from passage.cases.status import (
    DECIDED_STATUSES,
    NOT_NEEDED_STEP_STATE,
    OPEN_STATUSES,
    CaseStatus,
    EventKind,
    PartyRole,
    Step,
    StepState,
)
from passage.cases.wording import CaseWording, case_wording
from passage.languages import written_date
from passage.tracker.estimates import Estimate


@dataclass(frozen=True)
class StepView:
    step: str
    label: str
    state: str
    state_label: str
    changed_at: datetime | None
    # What the client does for a step waiting on them; empty when it asks nothing.
    to_do: str = ""


@dataclass(frozen=True)
class DocumentsDue:
    request_id: int
    step: str
    step_label: str
    items: list[str]
    message: str
    due_on: date
    time_zone: str
    requested_at: datetime
    # The day the officer set, and the outages that moved it to `due_on` (relief by rule)
    # or, for a limit set by law, touched it without moving it (`flagged`).
    set_due_on: date | None = None
    outages: tuple[str, ...] = ()
    flagged: bool = False

    @property
    def moved(self) -> bool:
        """Whether an outage moved the date from the one the officer set."""
        return self.set_due_on is not None and self.set_due_on != self.due_on


@dataclass(frozen=True)
class HistoryLine:
    occurred_at: datetime
    text: str


@dataclass(frozen=True)
class EstimateView:
    service_standard_days: int
    median_days: int | None
    p80_days: int | None
    sample_size: int
    window_days: int
    inquiry_date: date | None


@dataclass(frozen=True)
class TrackerView:
    public_id: UUID
    reference: str
    program: str
    program_name: str
    role: str
    status: str
    status_label: str
    status_explanation: str
    status_changed_at: datetime
    received_at: datetime
    decided_at: datetime | None
    # Open: received, being sorted or in review. A decided or withdrawn case asks nothing.
    is_open: bool
    steps: list[StepView]
    documents_due: list[DocumentsDue]
    history: list[HistoryLine]
    estimate: EstimateView
    unread_messages: int = 0

    def as_json(self) -> dict[str, Any]:
        """The API's answer as plain values (dates as ISO 8601). The API itself has orjson
        serialise the dataclasses as they are, which gives the same JSON."""
        return cast(dict[str, Any], orjson.loads(orjson.dumps(self)))


def build_view(
    *,
    status_row: dict[str, Any],
    program_name: str,
    role: str,
    document_requests: list[dict[str, Any]],
    estimate: Estimate,
    unread_messages: int,
) -> TrackerView:
    """The client's view of a case from its status row (`cases.selectors.case_status`),
    its open document requests, the program's estimate and the unread message count."""
    words = case_wording()
    visible_steps = tuple(step for step in Step if covers_step(_scope(role), step))
    visible_step_values = {step.value for step in visible_steps}
    status = CaseStatus(status_row["status"])
    is_open = status in OPEN_STATUSES
    documents_due = [
        DocumentsDue(
            request_id=request["id"],
            step=request["step"],
            step_label=words.step[request["step"]],
            items=list(request["items"]),
            message=request["message"],
            due_on=request["due_on"],
            time_zone=request["time_zone"],
            requested_at=request["requested_at"],
            set_due_on=request.get("set_due_on"),
            outages=tuple(request.get("relief_outages") or ()),
            flagged=bool(request.get("relief_flagged")),
        )
        for request in document_requests
        # A request left open on a decided case is not the client's to answer any more.
        if is_open and request["step"] in visible_step_values
    ]
    steps_with_requests = {due.step for due in documents_due}
    steps = [
        _step_view(step, status_row, words, is_open=is_open, requested=steps_with_requests)
        for step in visible_steps
    ]
    history = [
        HistoryLine(occurred_at=event["occurred_at"], text=history_text(event, words))
        for event in status_row["recent_events"]
        if _shown_to(role, event)
    ]
    # The day received in the service's own time zone, whatever zone the reader's page is
    # in: the inquiry date is a calendar date that the client, an officer in another
    # office and the API must all give alike, at any hour.
    service_zone = zoneinfo.ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)
    received_on = timezone.localtime(status_row["received_at"], service_zone).date()
    return TrackerView(
        public_id=status_row["public_id"],
        reference=status_row["reference"],
        program=status_row["program__code"],
        program_name=program_name,
        role=role,
        status=status.value,
        status_label=words.status[status.value],
        status_explanation=words.status_explanation[status.value],
        status_changed_at=status_row["status_changed_at"],
        received_at=status_row["received_at"],
        decided_at=status_row["decided_at"],
        is_open=is_open,
        steps=steps,
        documents_due=documents_due,
        history=history,
        estimate=EstimateView(
            service_standard_days=estimate.service_standard_days,
            median_days=estimate.median_days,
            p80_days=estimate.p80_days,
            sample_size=estimate.sample_size,
            window_days=estimate.window_days,
            inquiry_date=None if status in DECIDED_STATUSES else estimate.inquiry_date(received_on),
        ),
        unread_messages=unread_messages,
    )


def _step_view(
    step: Step,
    status_row: dict[str, Any],
    words: CaseWording,
    *,
    is_open: bool,
    requested: set[str],
) -> StepView:
    """One step as the client reads it: a step waiting on them says what to do while the
    case is open (send the requested documents, or what the step needs), and is no longer
    needed once it is decided or withdrawn."""
    state = status_row[step.value]
    state_label = words.step_state[state]
    to_do = ""
    if state == StepState.WAITING_ON_YOU:
        if not is_open:
            state, state_label = NOT_NEEDED_STEP_STATE, words.not_needed
        elif step.value in requested:
            to_do = words.send_documents
        else:
            to_do = words.waiting_to_do[step.value]
    return StepView(
        step=step.value,
        label=words.step[step.value],
        state=state,
        state_label=state_label,
        changed_at=status_row[f"{step.value}_changed_at"],
        to_do=to_do,
    )


def history_text(event: dict[str, Any], words: CaseWording | None = None) -> str:
    """One event of the case's history in plain words, in the active language (or in
    `words`)."""
    words = words or case_wording()
    kind = event["kind"]
    payload = event.get("payload") or {}
    if kind == EventKind.STEP_RECORDED and "step" in payload and "state" in payload:
        return words.step_change(payload["step"], payload["state"])
    if kind == EventKind.DOCUMENTS_REQUEST_CLOSED and payload.get("reason") in words.request_closed:
        return words.request_closure(payload["step"], payload["reason"])
    if kind == EventKind.DEADLINE_MOVED and {"from", "to", "outages"} <= payload.keys():
        return deadline_moved_text(payload)
    return words.event_kind[kind]


def deadline_moved_text(payload: dict[str, Any]) -> str:
    """A due date relief moved, in plain words: from when, to when, because of which
    outage; or moved back to the day first set, the outage record having been corrected."""
    language = get_language() or "en"
    dates = {
        "from": written_date(date.fromisoformat(str(payload["from"])), language),
        "to": written_date(date.fromisoformat(str(payload["to"])), language),
    }
    outages = list(payload["outages"])
    if payload["from"] == payload["to"] and outages:
        return ngettext(
            "The due date stays %(to)s; the outage behind it is now %(outages)s.",
            "The due date stays %(to)s; the outages behind it are now %(outages)s.",
            len(outages),
        ) % {**dates, "outages": ", ".join(outages)}
    if not outages:
        return (
            _(
                "A due date moved back from %(from)s to %(to)s, the date first set: the "
                "outage record was corrected."
            )
            % dates
        )
    return ngettext(
        "A due date moved from %(from)s to %(to)s because of outage %(outages)s.",
        "A due date moved from %(from)s to %(to)s because of outages %(outages)s.",
        len(outages),
    ) % {**dates, "outages": ", ".join(outages)}


def _scope(role: str) -> PartyRole:
    """The part of the case a view is for: the sponsorship part, or the whole case."""
    return PartyRole.SPONSOR if role == PartyRole.SPONSOR else PartyRole.APPLICANT


def _shown_to(role: str, event: dict[str, Any]) -> bool:
    # The one rule of every client read; staff get the applicant's view.
    return client_sees_event(_scope(role), event["kind"], event.get("payload"))
