"""The one status model of a case as its clients see it. The tracker page, the tracker
API and the officer's "what the client sees" panel all render a `TrackerView`, so they
cannot disagree.

A sponsor sees the sponsorship part: the overall status and the eligibility step, and the
requests and history of that step; the other steps concern the sponsored person.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from passage.cases.parties import covers_step
from passage.cases.status import (
    DECIDED_STATUSES,
    INTERNAL_EVENT_KINDS,
    STATUS_EXPLANATIONS,
    CaseStatus,
    EventKind,
    PartyRole,
    Step,
    StepState,
)
from passage.tracker.estimates import Estimate


@dataclass(frozen=True)
class StepView:
    step: str
    label: str
    state: str
    state_label: str
    changed_at: datetime | None


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
    steps: list[StepView]
    documents_due: list[DocumentsDue]
    history: list[HistoryLine]
    estimate: EstimateView
    unread_messages: int = 0

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO 8601) for the API."""
        return _jsonable(self.__dict__)


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
    visible_steps = tuple(step for step in Step if covers_step(_scope(role), step))
    visible_step_values = {step.value for step in visible_steps}
    status = CaseStatus(status_row["status"])
    steps = [
        StepView(
            step=step.value,
            label=str(step.label),
            state=status_row[step.value],
            state_label=str(StepState(status_row[step.value]).label),
            changed_at=status_row[f"{step.value}_changed_at"],
        )
        for step in visible_steps
    ]
    documents_due = [
        DocumentsDue(
            request_id=request["id"],
            step=request["step"],
            step_label=str(Step(request["step"]).label),
            items=list(request["items"]),
            message=request["message"],
            due_on=request["due_on"],
            time_zone=request["time_zone"],
            requested_at=request["requested_at"],
        )
        for request in document_requests
        if request["step"] in visible_step_values
    ]
    history = [
        HistoryLine(occurred_at=event["occurred_at"], text=history_text(event))
        for event in status_row["recent_events"]
        if _shown_to(role, event)
    ]
    # The day as the page shows it (the active time zone), not the UTC day.
    received_on = timezone.localtime(status_row["received_at"]).date()
    return TrackerView(
        public_id=status_row["public_id"],
        reference=status_row["reference"],
        program=status_row["program__code"],
        program_name=program_name,
        role=role,
        status=status.value,
        status_label=str(status.label),
        status_explanation=str(STATUS_EXPLANATIONS[status]),
        status_changed_at=status_row["status_changed_at"],
        received_at=status_row["received_at"],
        decided_at=status_row["decided_at"],
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


def history_text(event: dict[str, Any]) -> str:
    """One event of the case's history in plain words, in the active language."""
    kind = EventKind(event["kind"])
    payload = event.get("payload") or {}
    if kind == EventKind.STEP_RECORDED and "step" in payload and "state" in payload:
        return _("%(step)s: %(state)s") % {
            "step": Step(payload["step"]).label,
            "state": StepState(payload["state"]).label,
        }
    return str(kind.label)


def _scope(role: str) -> PartyRole:
    """The part of the case a view is for: the sponsorship part, or the whole case."""
    return PartyRole.SPONSOR if role == PartyRole.SPONSOR else PartyRole.APPLICANT


def _shown_to(role: str, event: dict[str, Any]) -> bool:
    # Staff read the events unfiltered; the client's view never holds internal work.
    if event["kind"] in INTERNAL_EVENT_KINDS:
        return False
    if role != PartyRole.SPONSOR:
        return True
    step = (event.get("payload") or {}).get("step")
    return step is None or covers_step(_scope(role), step)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return _jsonable(value.__dict__)
    return value
