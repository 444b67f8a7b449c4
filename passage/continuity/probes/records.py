"""What the probes keep in the database: their results (`ProbeResult`, kept for
PASSAGE_PROBE_KEEP_DAYS), and the reads the watcher needs to pick up where it left off:
the recent results, and whether the register already covers a run of failures."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from passage.continuity.models import Outage, ProbeResult
from passage.continuity.probes.decision import Result, Run

# How far back a watcher that starts reads the results to find the runs under way.
LOOKBACK = timedelta(days=1)


def write_results(results: Iterable[Result]) -> int:
    """Keep the results, in one transaction; how many were written."""
    rows = [
        ProbeResult(
            component=result.component,
            at=result.at,
            ok=result.ok,
            milliseconds=max(0, result.milliseconds),
            detail=result.detail[:500],
        )
        for result in results
    ]
    with transaction.atomic():
        ProbeResult.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def recent_results(*, now: datetime, lookback: timedelta = LOOKBACK) -> list[Result]:
    """The results of the last `lookback`, oldest first."""
    rows = (
        ProbeResult.objects.filter(at__gte=now - lookback, at__lte=now)
        .order_by("at", "pk")
        .values_list("component", "at", "ok", "detail", "milliseconds")
    )
    return [Result(*row) for row in rows]


def prune_results(*, now: datetime, keep: timedelta) -> int:
    """Delete the results older than `keep`; how many were deleted."""
    deleted, _ = ProbeResult.objects.filter(at__lt=now - keep).delete()
    return deleted


def covered(run: Run, *, now: datetime) -> bool:
    """Whether the register already has this run: an outage naming the component that
    overlaps it (planned maintenance under way, an incident staff or the probes recorded,
    or one the probes opened and staff withdrew as made in error)."""
    end = run.recovered_at or now
    outages = Outage.objects.filter(starts_at__lte=end).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gte=run.first_failure)
    )
    outages = outages.filter(Q(withdrawn_at__isnull=True) | Q(opened_by_probes=True))
    # Components are a JSON list: filtered here, as SQLite has no JSON containment.
    return any(
        run.component in (components or ())
        for components in outages.values_list("components", flat=True)[:200]
    )


def open_probe_incidents() -> dict[str, tuple[str, ...]]:
    """The incidents the probes opened that have no end and that staff have not taken
    up (nor withdrawn): reference -> components."""
    rows = Outage.objects.filter(
        opened_by_probes=True,
        ends_at__isnull=True,
        confirmed_at__isnull=True,
        withdrawn_at__isnull=True,
    ).values_list("reference", "components")
    return {reference: tuple(components or ()) for reference, components in rows}
