"""Reading a case: its status, steps and events. Anyone who may not see it gets a 404."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from passage.api.schemas import CaseStatusOut, ErrorOut, EventOut
from passage.cases import selectors
from passage.cases.models import Case
from passage.cases.status import CaseStatus, EventKind, Step, StepState

router = Router(tags=["cases"])


class EventsQuery(Schema):
    after: int = 0
    limit: int = 100


@router.get("/{case_id}", response={200: CaseStatusOut, 404: ErrorOut}, summary="Case status")
def case_status(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    """Overall status, each step with its state and when it last changed, and the latest
    events, newest first."""
    try:
        row = selectors.case_status(person=request.user, case_id=case_id)  # type: ignore[arg-type]
    except Case.DoesNotExist:
        raise Http404 from None
    return {
        "case_id": row["public_id"],
        "reference": row["reference"],
        "program": row["program__code"],
        "status": row["status"],
        "status_label": str(CaseStatus(row["status"]).label),
        "status_changed_at": row["status_changed_at"],
        "received_at": row["received_at"],
        "decided_at": row["decided_at"],
        "version": row["version"],
        "steps": [
            {
                "step": step.value,
                "state": row[step.value],
                "label": str(StepState(row[step.value]).label),
                "changed_at": row[f"{step.value}_changed_at"],
            }
            for step in Step
        ],
        "recent_events": [_event(event) for event in row["recent_events"]],
    }


@router.get(
    "/{case_id}/events", response={200: list[EventOut], 404: ErrorOut}, summary="Case history"
)
def case_events(
    request: HttpRequest, case_id: UUID, query: Query[EventsQuery]
) -> list[dict[str, Any]]:
    """The case's events in order, `limit` at a time after the sequence number `after`."""
    try:
        events = selectors.case_events(
            person=request.user,  # type: ignore[arg-type]
            case_id=case_id,
            after_sequence=max(query.after, 0),
            limit=min(max(query.limit, 1), 500),
        )
    except Case.DoesNotExist:
        raise Http404 from None
    return [_event(event) for event in events]


def _event(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "sequence": event["sequence"],
        "kind": event["kind"],
        "description": str(EventKind(event["kind"]).label),
        "actor_role": event["actor_role"],
        "occurred_at": event["occurred_at"],
        "ruleset_version": event["ruleset_version"],
    }
