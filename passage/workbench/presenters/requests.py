"""The documents asked of a client, as the officer's case page shows them: when each was
due, whether an outage moved that date or touched a limit set by law, and whether the
answer came in time (relief by rule counts: a date moved is the date)."""

from dataclasses import dataclass
from datetime import date

from passage.cases import deadlines
from passage.cases.models import DocumentRequest


@dataclass(frozen=True)
class RequestRow:
    request: DocumentRequest
    # The day the officer set, when an outage moved it to `request.due_on`.
    moved_from: date | None
    outages: tuple[str, ...]
    # A limit set by law that an outage touched: it did not move; the officer weighs it.
    flagged: bool
    # None while unanswered.
    answered_on_time: bool | None


def request_rows(requests: list[DocumentRequest], client_zone: str) -> list[RequestRow]:
    """Each request with what relief did to it and whether its answer was on time."""
    rows = []
    for request in requests:
        office = request.requested_by.office
        zones = deadlines.zones_of(client_zone, office.time_zone if office else None)
        on_time = (
            None
            if request.answered_at is None
            else deadlines.answered_on_time(request.due_on, zones, request.answered_at)
        )
        moved = request.set_due_on is not None and request.set_due_on != request.due_on
        rows.append(
            RequestRow(
                request=request,
                moved_from=request.set_due_on if moved else None,
                outages=tuple(request.relief_outages or ()),
                flagged=request.relief_flagged,
                answered_on_time=on_time,
            )
        )
    return rows
