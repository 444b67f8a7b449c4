"""Relief by rule: a client's obligation that fell due while a part of Passage it needs was
down moves, with no request, to the end of the first full business day on which every
part it needs was up again, plus a grace.

An outage qualifies when it is unplanned and lasted at least `Thresholds.unplanned`, or
planned and lasted at least `Thresholds.planned` or was announced fewer than
`Thresholds.notice_business_days` business days ahead. It touches an obligation that
needs one of its components when the obligation's due instant falls in it, or when it
overlaps the day the obligation is due. The obligation is judged in each of its time
zones (the client's and the office's) and the most favourable answer, the latest,
applies. An obligation whose limit cannot move (a statutory one) is never moved: it is
flagged, for an officer to look at, and never refused for it.

Everything is a function of the obligation as first set and of the register as it is
now: computing twice gives the same answer, and taking an outage out of the register
gives back what the obligation would be without it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from passage.calendar.business_days import BusinessCalendar, end_of_day

# Days looked ahead for a full business day before giving up: an outage register that
# leaves no such day for a year is a broken register, not a reason to loop for ever.
_HORIZON_DAYS = 366


@dataclass(frozen=True)
class Thresholds:
    """When an outage gives relief, and how much grace follows (dated data with its
    source: `thresholds.py`)."""

    unplanned: timedelta = timedelta(minutes=30)
    planned: timedelta = timedelta(hours=4)
    notice_business_days: int = 2
    grace_business_days: int = 0


@dataclass(frozen=True)
class Outage:
    """One entry of the register: the components that were down, from `start` to `end`
    (aware instants, `end` after `start`), planned or not, and for planned maintenance
    when it was announced."""

    reference: str
    components: frozenset[str]
    start: datetime
    end: datetime
    planned: bool = False
    announced_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"{self.reference}: start and end must be aware instants")
        if self.end <= self.start:
            raise ValueError(f"{self.reference}: it must end after it starts")

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the outage and the span [start, end) share an instant."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Obligation:
    """Something a client must do by `due` (an aware instant: the end of its last day),
    needing `components`, judged in each of `zones` (the client's and the office's).
    `movable` False: a statutory limit that no outage can move."""

    due: datetime
    components: frozenset[str]
    zones: tuple[str, ...]
    movable: bool = True

    def __post_init__(self) -> None:
        if self.due.tzinfo is None:
            raise ValueError("an obligation is due at an aware instant")
        if not self.zones:
            raise ValueError("an obligation is judged in at least one time zone")


@dataclass(frozen=True)
class Relief:
    """What the register does to an obligation: its due instant now, whether it moved,
    the references of the outages that moved it (or would have), and whether it is
    flagged (an immovable limit an outage touched)."""

    due: datetime
    moved: bool = False
    outages: tuple[str, ...] = field(default_factory=tuple)
    flagged: bool = False


def qualifies(outage: Outage, thresholds: Thresholds, calendar: BusinessCalendar) -> bool:
    """Whether the outage is long enough, or was announced too late, to give relief."""
    length = outage.end - outage.start
    if not outage.planned:
        return length >= thresholds.unplanned
    if length >= thresholds.planned:
        return True
    if outage.announced_at is None:
        return True  # planned but never announced: as unannounced as an incident
    notice = calendar.business_days_between(outage.announced_at.date(), outage.start.date())
    return notice < thresholds.notice_business_days


def relieve(
    obligation: Obligation,
    outages: Iterable[Outage],
    thresholds: Thresholds,
    calendar: BusinessCalendar,
) -> Relief:
    """The obligation as the register leaves it (see the module's rule)."""
    relevant = [
        outage
        for outage in outages
        if outage.components & obligation.components and qualifies(outage, thresholds, calendar)
    ]
    best = obligation.due
    touched: set[str] = set()
    for zone in obligation.zones:
        moved_to, references = _in_zone(obligation, relevant, thresholds, calendar, zone)
        touched |= references
        if moved_to is not None and moved_to > best:
            best = moved_to
    if not touched:
        return Relief(due=obligation.due)
    if not obligation.movable:
        return Relief(due=obligation.due, outages=tuple(sorted(touched)), flagged=True)
    return Relief(due=best, moved=best != obligation.due, outages=tuple(sorted(touched)))


def _in_zone(
    obligation: Obligation,
    relevant: list[Outage],
    thresholds: Thresholds,
    calendar: BusinessCalendar,
    zone: str,
) -> tuple[datetime | None, set[str]]:
    """The new due instant judged in `zone` (None: not touched there) and the outages
    that touched it."""
    due_day = obligation.due.astimezone(ZoneInfo(zone)).date()
    touching = {
        outage.reference
        for outage in relevant
        if outage.start <= obligation.due < outage.end or outage.overlaps(*_day_span(due_day, zone))
    }
    if not touching:
        return None, touching
    day = due_day
    for _ in range(_HORIZON_DAYS):
        day = calendar.next_business_day(day)
        if not any(outage.overlaps(*_day_span(day, zone)) for outage in relevant):
            break
        day += timedelta(days=1)
    else:
        raise ValueError("no full business day without an outage within a year")
    day = calendar.add_business_days(day, thresholds.grace_business_days)
    return end_of_day(day, zone), touching


def _day_span(day: date, zone: str) -> tuple[datetime, datetime]:
    """The instants a calendar day covers in a time zone: [its start, the next start)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end
