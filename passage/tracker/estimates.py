"""How long a program's applications take now, from real finalised cases: the median
and 80th percentile of days from receipt to decision over a recent window, and the date
after which a client may ask about a case that is taking longer ("inquiry date")."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from passage.cases.models import Case
from passage.cases.status import CaseStatus


@dataclass(frozen=True)
class Estimate:
    service_standard_days: int
    # Empty while the window holds fewer than PASSAGE_ESTIMATE_MINIMUM_CASES decisions.
    median_days: int | None
    p80_days: int | None
    sample_size: int
    window_days: int

    def inquiry_date(self, received_on: date) -> date:
        """The day after which the client may escalate: when 80% of recent files were
        decided, or the service standard while there are too few of them."""
        days = self.p80_days if self.p80_days is not None else self.service_standard_days
        return received_on + timedelta(days=days)


def processing_estimate(*, program_id: int, service_standard_days: int, now: datetime) -> Estimate:
    """The program's estimate as of `now`, kept for an hour per program and day (each
    process its own, with the default local-memory cache)."""
    window = settings.PASSAGE_ESTIMATE_WINDOW_DAYS
    key = f"passage:estimate:{program_id}:{now.date().isoformat()}:{window}"
    found = cache.get(key)
    if found is not None:
        return Estimate(**found)
    estimate = _compute(program_id, service_standard_days, now, window)
    cache.set(key, estimate.__dict__, timeout=3600)
    return estimate


def _compute(program_id: int, service_standard_days: int, now: datetime, window: int) -> Estimate:
    since = now - timedelta(days=window)
    if connection.vendor == "postgresql":
        count, median, p80 = _percentiles_in_postgresql(program_id, since, now)
    else:
        count, median, p80 = _percentiles_in_python(program_id, since, now)
    if count < settings.PASSAGE_ESTIMATE_MINIMUM_CASES or median is None or p80 is None:
        return Estimate(service_standard_days, None, None, count, window)
    return Estimate(
        service_standard_days=service_standard_days,
        median_days=round(median),
        p80_days=round(p80),
        sample_size=count,
        window_days=window,
    )


# Withdrawn files were never decided on: they would shorten the estimate.
_DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REFUSED.value)
# Linear interpolation between the closest ranks, as statistics.quantiles(method=
# "inclusive") does below, so both databases give the same figures.
_PERCENTILES_SQL = """
SELECT count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
       percentile_cont(0.8) WITHIN GROUP (ORDER BY days)
FROM (
    SELECT EXTRACT(EPOCH FROM ("decided_at" - "received_at")) / 86400.0 AS days
    FROM "cases_case"
    WHERE "program_id" = %s AND "status" IN (%s, %s)
      AND "decided_at" >= %s AND "decided_at" <= %s
) AS decided
"""


def _percentiles_in_postgresql(
    program_id: int, since: datetime, now: datetime
) -> tuple[int, float | None, float | None]:
    """Counted and ranked in the database: no row travels."""
    with connection.cursor() as cursor:
        cursor.execute(_PERCENTILES_SQL, [program_id, *_DECIDED, since, now])
        count, median, p80 = cursor.fetchone()
    return count, median, p80


def _percentiles_in_python(
    program_id: int, since: datetime, now: datetime
) -> tuple[int, float | None, float | None]:
    decided = Case.objects.filter(
        program_id=program_id,
        status__in=_DECIDED,
        decided_at__gte=since,
        decided_at__lte=now,
    ).values_list("received_at", "decided_at")
    days = sorted(
        (decided_at - received_at).total_seconds() / 86400
        for received_at, decided_at in decided
        if decided_at is not None
    )
    if len(days) < 2:
        return len(days), None, None
    deciles = statistics.quantiles(days, n=10, method="inclusive")
    return len(days), statistics.median(days), deciles[7]
