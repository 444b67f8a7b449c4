"""Relief by rule at scale, for benchmarks/continuity.py: one outage that touches 100,000
open document requests, recomputed through `passage.continuity.relief` as the task worker
does after a change to the register.

A database of its own on the benchmark PostgreSQL, migrated and loaded in bulk with the
tracker benchmark's cases (`tracker_dataset.py`), then given the open requests, spread
over the open cases, all set due on the outage's day. Measured in the same process:
- the baseline: the pure rule alone (`passage.calendar.relief.relieve`) over the same
  obligations, with no database;
- the first pass, which moves every due date (an event on each case, a link-only email
  to its clients, the request updated), and its rate;
- a second pass, which finds everything in place and changes nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg
import tracker_dataset
from http_bench import database_url, log, recreate_database

DATABASE = "passage_bench_relief"
CASES = 20_000
# A Wednesday: the outage falls on it, the requests are due that day.
OUTAGE_DAY = date(2027, 3, 3)


@dataclass
class ReliefFigures:
    obligations: int
    pure_seconds: float
    first_pass_seconds: float
    moved: int
    second_pass_seconds: float
    changed_again: int


def measure(admin_url: str, obligations: int = 100_000) -> ReliefFigures:
    """Load the database, record the outage, and time the three computations."""
    bench_url = database_url(admin_url, DATABASE)
    log(f"relief: creating {DATABASE} and loading {CASES:,} cases")
    recreate_database(admin_url, bench_url)
    _django(bench_url)
    tracker_dataset.load(bench_url, cases=CASES, log=log)
    _add_open_requests(bench_url, obligations)

    from passage.calendar.relief import Obligation, relieve
    from passage.calendar.thresholds import thresholds_on
    from passage.cases import deadlines
    from passage.continuity import relief
    from passage.continuity.models import Outage

    start = datetime(2027, 3, 3, 15, tzinfo=UTC)
    now = start + timedelta(hours=3)
    Outage.objects.create(
        reference="OUT-2027-0001",
        kind="incident",
        status="resolved",
        components=["uploads"],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        title_en="Uploads down",
        title_fr="Téléversements en panne",
        opened_by_probes=True,
        created_at=now,
        updated_at=now,
    )
    entries = relief.register_entries(now=now)
    thresholds = thresholds_on(now.date()).thresholds
    zones = deadlines.zones_of("", "America/Toronto")
    log(f"relief: the pure rule over {obligations:,} obligations")
    began = time.perf_counter()
    for _ in range(obligations):
        relieve(
            Obligation(
                due=deadlines.due_instant(OUTAGE_DAY, zones),
                components=relief.DOCUMENT_REQUEST_NEEDS,
                zones=zones,
            ),
            entries,
            thresholds,
            relief.CALENDAR,
        )
    pure = time.perf_counter() - began
    log(f"relief: first pass (pure rule took {pure:.1f} s)")
    began = time.perf_counter()
    first = relief.recompute_relief(now=now, reference="OUT-2027-0001")
    first_seconds = time.perf_counter() - began
    log(f"relief: {first.moved:,} moved in {first_seconds:.0f} s; second pass")
    began = time.perf_counter()
    second = relief.recompute_relief(now=now, reference="OUT-2027-0001")
    second_seconds = time.perf_counter() - began
    return ReliefFigures(
        obligations=obligations,
        pure_seconds=pure,
        first_pass_seconds=first_seconds,
        moved=first.moved,
        second_pass_seconds=second_seconds,
        changed_again=second.moved + second.flagged,
    )


def _add_open_requests(bench_url: str, count: int) -> None:
    """`count` open document requests on the open cases, in turn, due on the outage's day
    (set that day too), asked by the cases' officers."""
    with psycopg.connect(bench_url) as conn:
        conn.execute(
            "UPDATE cases_documentrequest SET closed_at = requested_at, closed_because = "
            "'decided' WHERE answered_at IS NULL AND closed_at IS NULL"
        )
        conn.execute(
            """
            WITH open_cases AS (
                SELECT c.id, c.assigned_to_id, row_number() OVER (ORDER BY c.id) - 1 AS n,
                       count(*) OVER () AS total
                FROM cases_case c
                WHERE c.status IN ('triage', 'in_review') AND c.assigned_to_id IS NOT NULL
            )
            INSERT INTO cases_documentrequest (case_id, step, items, message, due_on,
                set_due_on, statutory, relief_outages, relief_flagged, relief_version,
                requested_at, requested_by_id, closed_because)
            SELECT o.id, 'biometrics', '["Biometrics collection letter"]'::jsonb, '',
                   %(day)s, %(day)s, false, '[]'::jsonb, false, 0,
                   %(asked)s, o.assigned_to_id, ''
            FROM generate_series(0, %(count)s - 1) AS g(i)
            JOIN open_cases o ON o.n = g.i %% o.total
            """,
            {"day": OUTAGE_DAY, "asked": datetime(2027, 2, 10, tzinfo=UTC), "count": count},
        )
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE cases_documentrequest")


def _django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ["PASSAGE_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    import django

    django.setup()
