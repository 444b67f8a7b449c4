"""Reading a case: its status, steps and events. Anyone who may not see it gets a 404:
officers and supervisors read the files the workbench shows them (`_out_of_reach`)."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.api.responses import json_response
from passage.api.schemas import (
    ERROR_DETAILS,
    READ_ERRORS,
    CaseStatusOut,
    EventOut,
    TrackerOut,
)
from passage.cases import selectors
from passage.cases.models import Case
from passage.cases.wording import CaseWording, case_wording
from passage.languages import active_language
from passage.tracker.selectors import tracker_view
from passage.workbench.selectors import in_reach_of

router = Router(tags=["cases"])


class EventsQuery(Schema):
    after: int = 0
    limit: int = 100


@router.get(
    "/{case_id}",
    response={200: CaseStatusOut, **READ_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Case status",
)
def case_status(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Overall status, each step with its state and when it last changed, and the latest
    events, newest first: for a client, those of their part of the case (a sponsor sees
    the sponsorship part only, as on the tracker)."""
    if _out_of_reach(request.user, case_id):  # type: ignore[arg-type]
        raise Http404
    try:
        row = selectors.case_status(
            person=request.user,  # type: ignore[arg-type]
            case_id=case_id,
            event_payloads=False,  # not part of the answer
        )
    except Case.DoesNotExist:
        raise Http404 from None
    words = case_wording()
    # Built in the order and with the types of CaseStatusOut and serialised directly, which
    # gives the same bytes as validating it against the schema first, for less work.
    body = {
        "case_id": row["public_id"],
        "reference": row["reference"],
        "program": row["program__code"],
        "status": row["status"],
        "status_label": words.status[row["status"]],
        "status_changed_at": row["status_changed_at"],
        "received_at": row["received_at"],
        "decided_at": row["decided_at"],
        "version": row["version"],
        "steps": [
            {
                "step": step,
                "state": row[step],
                "label": words.step_state[row[step]],
                "changed_at": row[f"{step}_changed_at"],
            }
            for step in row["visible_steps"]
        ],
        "recent_events": [_event(event, words) for event in row["recent_events"]],
    }
    return json_response(body)


@router.get(
    "/{case_id}/events",
    response={200: list[EventOut], **READ_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Case history",
)
def case_events(
    request: HttpRequest, case_id: UUID, query: Query[EventsQuery]
) -> list[dict[str, Any]]:
    """The case's events in order, `limit` at a time after the sequence number `after`:
    for a client, those of their part of the case."""
    if _out_of_reach(request.user, case_id):  # type: ignore[arg-type]
        raise Http404
    try:
        events = selectors.case_events(
            person=request.user,  # type: ignore[arg-type]
            case_id=case_id,
            after_sequence=max(query.after, 0),
            limit=min(max(query.limit, 1), 500),
        )
    except Case.DoesNotExist:
        raise Http404 from None
    words = case_wording()
    return [_event(event, words) for event in events]


@router.get(
    "/{case_id}/tracker",
    response={200: TrackerOut, **READ_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Case tracker",
)
def case_tracker(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """What the tracker page shows: status and its meaning, steps, documents due with
    their due date and time zone, history in plain words, the processing-time estimate
    with the inquiry date, and the number of unread messages."""
    if _out_of_reach(request.user, case_id):  # type: ignore[arg-type]
        raise Http404
    try:
        view = tracker_view(
            person=request.user,  # type: ignore[arg-type]
            case_id=case_id,
            now=clock.now(),
            language=active_language(),
        )
    except Case.DoesNotExist:
        raise Http404 from None
    return json_response(view)  # orjson serialises the dataclasses as they are


def _out_of_reach(person: User, case_id: UUID) -> bool:
    """Whether an officer or supervisor asks for a file outside what they read in the
    workbench (`workbench.selectors.reach_of`) that they are not a party to either (a file
    that concerns them they read as its client). Nobody else is asked."""
    if not (person.has_role(Role.OFFICER) or person.has_role(Role.SUPERVISOR)):
        return False
    if in_reach_of(person, case_id):
        return False
    return not selectors.cases_of_party(person).filter(public_id=case_id).exists()


def _event(event: dict[str, Any], words: CaseWording) -> dict[str, Any]:
    return {
        "sequence": event["sequence"],
        "kind": event["kind"],
        "description": words.event_kind[event["kind"]],
        "actor_role": event["actor_role"],
        "occurred_at": event["occurred_at"],
        "ruleset_version": event["ruleset_version"],
    }
