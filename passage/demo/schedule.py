"""When each demo command happens: the timeline's anchor, and an instant for every
command of a case between its submission and the anchor.

The automatic commands follow the submission by minutes; an officer's work spreads over
about the program's processing time, on weekdays in the office hours of the officer's
office; a withdrawal comes after. Every instant falls after the one before it, and all
before the anchor.
"""

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from passage import clock
from passage.accounts.models import User
from passage.cases.status import CaseStatus
from passage.demo import data
from passage.demo.people import ANCHOR_ACCOUNT

OFFICER_ZONES = {
    officer.username: ZoneInfo(next(o.time_zone for o in data.OFFICES if o.code == officer.office))
    for officer in data.OFFICERS
}


def timeline_anchor(now: datetime | None) -> datetime:
    """The demo's present: at the first load `now` (to the minute), afterwards the moment
    the demo applicant's account joined, read back from the database."""
    first = User.objects.filter(username=ANCHOR_ACCOUNT).values_list("date_joined", flat=True)
    if first:
        return first[0].astimezone(UTC)
    at = (now or clock.now()).astimezone(UTC)
    return at.replace(second=0, microsecond=0)


def command_instants(
    rng: random.Random,
    *,
    anchor: datetime,
    submitted_at: datetime,
    status: CaseStatus,
    service_standard_days: int,
    officer: str,
    automatic: int,
    by_officer: int,
    closing: int,
) -> list[datetime]:
    """The instants of a case's commands, in order: `automatic` ones, then `by_officer`
    ones by `officer`, then `closing` ones; each after the one before, all before the
    anchor."""
    latest = anchor - timedelta(minutes=1)
    at = submitted_at
    room = latest - at
    instants: list[datetime] = []
    for _ in range(automatic):
        at += min(timedelta(seconds=rng.uniform(20, 600)), room / (automatic + 4))
        instants.append(at)
    if by_officer:
        span = timedelta(days=_processing_days(service_standard_days) * rng.uniform(0.25, 1.1))
        end = min(at + span, latest - (room * 0.05 if closing else timedelta(0)))
        if status not in (CaseStatus.APPROVED, CaseStatus.REFUSED):
            end = min(end, latest - timedelta(minutes=rng.uniform(5, 600)))
            if status == CaseStatus.IN_REVIEW:
                # Work still under way: spread it up to close to now.
                end = max(end, latest - timedelta(days=rng.uniform(0, 10)))
        end = max(end, at + timedelta(minutes=by_officer + 1))
        begin = at + (end - at) * rng.uniform(0.05, 0.3)
        fractions = sorted(rng.random() for _ in range(by_officer - 1))
        planned = [begin] + [begin + (end - begin) * f for f in fractions]
        if status in (CaseStatus.APPROVED, CaseStatus.REFUSED):
            planned[-1] = end
        zone = OFFICER_ZONES[officer]
        for instant in planned:
            instant = _office_hours(instant, rng, zone, at, end)
            at = max(instant, at + timedelta(seconds=30))
            instants.append(at)
    for _ in range(closing):
        at = at + (latest - at) * rng.uniform(0.1, 0.9)
        instants.append(at)
    for n in range(1, len(instants)):
        if instants[n] <= instants[n - 1]:
            instants[n] = instants[n - 1] + timedelta(seconds=1)
    return instants


def _processing_days(service_standard_days: int) -> float:
    """How long an officer's part usually takes: most files finish within the standard."""
    return max(1.0, 0.8 * service_standard_days)


def _office_hours(
    instant: datetime, rng: random.Random, zone: ZoneInfo, earliest: datetime, latest: datetime
) -> datetime:
    """Move an officer's action into office hours on a weekday when that stays in range."""
    local = instant.astimezone(zone)
    day = local.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moved = datetime.combine(
        day, time(hour=rng.randint(8, 16), minute=rng.randint(0, 59)), tzinfo=zone
    ).astimezone(UTC)
    return moved if earliest < moved < latest else instant
