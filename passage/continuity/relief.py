"""Relief by rule, applied: the register read as the pure calendar's outages, and every
open obligation it touches moved (or moved back) by `passage.calendar.relief`.

Obligations today are document requests (answering one needs sign-in, the tracker and
uploads) and the confirmations of permanent residence still in the client's hands (the
declaration, the address and the photo need sign-in and uploads). Each is worked out from
the date first set (the officer's `set_due_on`, the invitation's `set_due_at`) and the
register as it is now, so that recomputing changes nothing and a withdrawn or corrected
outage gives back what it should. Each change is an event on its case (`deadline.moved`,
with a link-only email to the clients who see the step, or `deadline.flagged` for a
statutory limit; `residence.due_moved` for a confirmation), made once under a key of the
row's count of changes."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from passage.calendar.business_days import BusinessCalendar
from passage.calendar.relief import Obligation, Relief, Thresholds, relieve
from passage.calendar.relief import Outage as RegisterEntry
from passage.calendar.thresholds import thresholds_on
from passage.cases import deadlines
from passage.cases.models import CaseParty, DocumentRequest
from passage.cases.services import DeadlineChange, apply_deadline_change
from passage.cases.status import PartyRole
from passage.continuity.models import Component, Outage, OutageKind
from passage.residence.models import Confirmation
from passage.residence.review import move_due_date
from passage.residence.states import CLIENT_EDITABLE

# What a client needs to answer a document request: to sign in, open the tracker, upload.
DOCUMENT_REQUEST_NEEDS = frozenset({Component.SIGN_IN, Component.TRACKER, Component.UPLOADS})
# What a client needs for the confirmation of permanent residence: to sign in and upload.
CONFIRMATION_NEEDS = frozenset({Component.SIGN_IN, Component.UPLOADS})
# The federal business days: the department's, wherever its offices are.
CALENDAR = BusinessCalendar()
# Requests read and worked out at a time.
BATCH = 200


@dataclass
class ReliefReport:
    """What one pass did: requests looked at, due dates moved (or moved back), statutory
    limits flagged or unflagged, and requests that changed meanwhile (left for the next
    pass)."""

    examined: int = 0
    moved: int = 0
    flagged: int = 0
    skipped: int = 0


def register_entries(*, now: datetime) -> list[RegisterEntry]:
    """Every outage of the register that gives relief, as the calendar reads it: all but
    the withdrawn. Planned maintenance counts ahead of time, so that the dates it moves
    are known before it starts; an incident still going on counts up to `now`, so that
    each pass while it lasts moves its obligations further."""
    entries = []
    for outage in Outage.objects.filter(withdrawn_at__isnull=True):
        end = outage.ends_at or max(now, outage.starts_at + timedelta(seconds=1))
        entries.append(
            RegisterEntry(
                reference=outage.reference,
                components=frozenset(outage.components),
                start=outage.starts_at,
                end=end,
                planned=outage.kind == OutageKind.PLANNED,
                announced_at=outage.announced_at,
            )
        )
    return entries


def recompute_relief(*, now: datetime, reference: str | None = None) -> ReliefReport:
    """Bring every open document request the register touches (or touched: a correction
    moves it back) to the due date the rule gives, recording each change on its case.
    With `reference`, only the requests that outage could touch or did touch."""
    entries = register_entries(now=now)
    thresholds = thresholds_on(now.date(), Path(settings.PASSAGE_RELIEF_THRESHOLDS)).thresholds
    report = ReliefReport()
    for batch in _candidates(entries, reference, now):
        # One transaction for a batch of changes rather than one each: a commit waits for
        # the disk, and an outage can touch a hundred thousand requests.
        with transaction.atomic():
            _relieve_batch(batch, entries, thresholds, now, report)
    _relieve_confirmations(entries, thresholds, now, report)
    return report


def _relieve_confirmations(
    entries: list[RegisterEntry], thresholds: Thresholds, now: datetime, report: ReliefReport
) -> None:
    """Move the date each confirmation of permanent residence in the client's hands is
    due by, from the date the invitation set, for the outages of what it needs; a
    correction of the register moves it back."""
    needed = [entry for entry in entries if entry.components & CONFIRMATION_NEEDS]
    near = Q(pk__in=[])
    for entry in needed:
        near |= Q(
            set_due_at__gte=entry.start - timedelta(days=1),
            set_due_at__lte=entry.end + timedelta(days=1),
        )
    rows = (
        Confirmation.objects.filter(state__in=CLIENT_EDITABLE)
        .filter(near | ~Q(due_at=F("set_due_at")))
        .select_related("client")
        .order_by("pk")
    )
    for row in rows.iterator(chunk_size=BATCH):
        report.examined += 1
        zones = deadlines.zones_of(row.client.time_zone if row.client else "", None)
        relief = relieve(
            Obligation(due=row.set_due_at, components=CONFIRMATION_NEEDS, zones=zones),
            entries,
            thresholds,
            CALENDAR,
        )
        due = relief.due if relief.moved else row.set_due_at
        outages = list(relief.outages) if relief.moved else []
        if move_due_date(confirmation_id=row.public_id, due_at=due, outages=outages, now=now):
            report.moved += 1


def _relieve_batch(
    batch: list[dict[str, Any]],
    entries: list[RegisterEntry],
    thresholds: Thresholds,
    now: datetime,
    report: ReliefReport,
) -> None:
    zones_by_case = _client_zones({row["case_id"] for row in batch})
    for row in batch:
        report.examined += 1
        zones = deadlines.zones_of(
            zones_by_case.get(row["case_id"], ""), row["requested_by__office__time_zone"]
        )
        relief = relieve(
            Obligation(
                due=deadlines.due_instant(row["set_due_on"], zones),
                components=DOCUMENT_REQUEST_NEEDS,
                zones=zones,
                movable=not row["statutory"],
            ),
            entries,
            thresholds,
            CALENDAR,
        )
        change = _change_of(row, relief, zones)
        if change is None:
            continue
        result = apply_deadline_change(case_id=row["case__public_id"], change=change, now=now)
        if result is None:
            report.skipped += 1
        elif change.due_on != row["due_on"]:
            report.moved += 1
        else:
            report.flagged += 1


def _change_of(
    row: dict[str, Any], relief: Relief, zones: tuple[str, ...]
) -> DeadlineChange | None:
    """The change the relief makes to a request as it stands, or None when it is there
    already."""
    due_on = deadlines.day_of(relief.due, zones) if relief.moved else row["set_due_on"]
    outages = relief.outages if (relief.moved or relief.flagged) else ()
    if (
        due_on == row["due_on"]
        and list(outages) == list(row["relief_outages"])
        and relief.flagged == row["relief_flagged"]
    ):
        return None
    return DeadlineChange(
        request_id=row["id"],
        step=row["step"],
        set_due_on=row["set_due_on"],
        was_due_on=row["due_on"],
        relief_version=row["relief_version"],
        was_flagged=row["relief_flagged"],
        due_on=due_on,
        outages=tuple(outages),
        flagged=relief.flagged,
    )


_COLUMNS = (
    "id",
    "step",
    "relief_version",
    "case_id",
    "case__public_id",
    "set_due_on",
    "due_on",
    "statutory",
    "relief_outages",
    "relief_flagged",
    "requested_by__office__time_zone",
)


def _candidates(
    entries: list[RegisterEntry], reference: str | None, now: datetime
) -> Iterator[list[dict[str, Any]]]:
    """The open requests worth working out, a batch at a time: those set due on a day
    near an outage of what they need, and those relief changed before (with
    `reference`, only those near that outage or that it changed: any other outage's are
    settled already)."""
    needed = [entry for entry in entries if entry.components & DOCUMENT_REQUEST_NEEDS]
    if reference is not None:
        needed = [entry for entry in needed if entry.reference == reference]
    # A day either side: the zones a request is judged in differ by hours, not days.
    windows = [
        (entry.start.date() - timedelta(days=1), entry.end.date() + timedelta(days=1))
        for entry in needed
    ]
    near = Q(pk__in=[])
    for first, last_day in windows:
        near |= Q(set_due_on__gte=first, set_due_on__lte=last_day)
    changed_before = ~Q(due_on=F("set_due_on")) | Q(relief_flagged=True)
    rows = (
        DocumentRequest.objects.open()
        .filter(near | changed_before)
        .order_by("pk")
        .values(*_COLUMNS)
    )

    def wanted(row: dict[str, Any]) -> bool:
        # JSON containment is not on every database: the outage's own rows, sorted here.
        return (
            reference is None
            or reference in (row["relief_outages"] or ())
            or any(first <= row["set_due_on"] <= last_day for first, last_day in windows)
        )

    last = 0
    while True:
        page = list(rows.filter(pk__gt=last)[:BATCH])
        if not page:
            return
        last = page[-1]["id"]
        batch = [row for row in page if wanted(row)]
        if batch:
            yield batch


def _client_zones(case_ids: Iterable[int]) -> dict[int, str]:
    """Each case's applicant's own time zone ("" when they chose none)."""
    rows = CaseParty.objects.filter(
        case_id__in=list(case_ids), role=PartyRole.APPLICANT, revoked_at__isnull=True
    ).values_list("case_id", "person__time_zone")
    return {case_id: zone or "" for case_id, zone in rows}
