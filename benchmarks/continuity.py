"""What the intake spool keeps up with (`passage/continuity/spool/`).

A private PostgreSQL cluster (the drills' own, `tests/drills/cluster.py`) and Passage
under granian as deployed, with the file journal as the spool. Clients submit
applications through the API without pause for a fixed time, first with the database
running (the normal path, the baseline: each answered 201 with a case), then with it
stopped (each answered 202 with a receipt, written to the journal and flushed to disk).
Then the database starts again and `passage replay_spool --once` files everything the
journal holds: the replay rate.

Then relief by rule at scale (`support/relief_bench.py`): one outage touching 100,000
open document requests, recomputed as the task worker does after a change to the
register, against the pure rule alone (the baseline).

Run with `scripts/run-benchmarks continuity` (`make bench` runs it with the others). It
needs PostgreSQL's initdb and pg_ctl, as the drills do, and writes its section of
benchmarks/results.md.
"""

import os
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "support"))

import relief_bench  # noqa: E402
from machine import machine_facts  # noqa: E402
from results_file import write_section  # noqa: E402

from tests.drills.client import post_json  # noqa: E402
from tests.drills.cluster import Cluster  # noqa: E402
from tests.drills.site import Applicant, Site  # noqa: E402

SECTION = "## Intake spool"
RELIEF_SECTION = "## Relief by rule"
RELIEF_OBLIGATIONS = 100_000
CLIENTS = 4
SECONDS = 8.0  # of submissions, in each phase
DATABASE = "bench_spool"
SPOOL = {"PASSAGE_SPOOL": "journal"}
# A valid application with no documents (tests/builders.py's `api_application`).
APPLICATION = {
    "program": "iec",
    "category": "working-holiday",
    "given_name": "Ana",
    "date_of_birth": "1998-02-28",
    "citizenship": "PT",
    "email": "ana@example.com",
    "preferred_language": "en",
    "answers": {"funds_cad": 3000},
    "documents": [],
}


def submit_for(
    port: int, applicants: list[Applicant], seconds: float
) -> tuple[Counter[int], float]:
    """Clients, one per applicant, submitting new applications for `seconds`: the
    answers by status, and the wall time taken."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    numbers = iter(range(10**9))
    stop_at = time.monotonic() + seconds

    def client(applicant: Applicant) -> None:
        while time.monotonic() < stop_at:
            key = f"bench-{secrets.token_hex(4)}-{next(numbers)}"
            answer = post_json(
                port,
                "/api/v1/applications",
                {**APPLICATION, "family_name": key},
                headers={**applicant.authorization, "Idempotency-Key": key},
            )
            with lock:
                statuses[answer.status or 0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(each,)) for each in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, time.monotonic() - started


def prepared_site(cluster: Cluster, var: Path) -> tuple[Site, list[Applicant]]:
    cluster.execute(f"CREATE DATABASE {DATABASE}")
    site = Site(
        cluster=cluster,
        database=DATABASE,
        var=var,
        secret_key=secrets.token_urlsafe(50),
        audit_keys=f"bench:{secrets.token_hex(32)}",
    )
    site.passage("migrate", "--verbosity", "0", PASSAGE_DB_STATEMENT_TIMEOUT="600")
    site.passage("load_programs", "--verbosity", "0")
    return site, [Applicant(**each) for each in site.seed("applicants", str(CLIENTS))]


def measure() -> dict[str, float]:
    with Cluster.running() as cluster, tempfile.TemporaryDirectory() as folder:
        site, applicants = prepared_site(cluster, Path(folder) / "var")
        with site.web(**SPOOL) as web:
            submit_for(web.port, applicants, 1.0)  # warm: connections, caches
            normal, normal_seconds = submit_for(web.port, applicants, SECONDS)
            cluster.stop()
            spooled, spooled_seconds = submit_for(web.port, applicants, SECONDS)
            cluster.start()
        started = time.monotonic()
        site.passage("replay_spool", "--once", **SPOOL)
        replay_seconds = time.monotonic() - started
    return {
        "normal": normal[201] / normal_seconds,
        "normal_other": sum(n for status, n in normal.items() if status != 201),
        "spooled": spooled[202] / spooled_seconds,
        "spooled_count": spooled[202],
        "spooled_other": sum(n for status, n in spooled.items() if status != 202),
        "replay": spooled[202] / replay_seconds,
        "replay_seconds": replay_seconds,
    }


def report(figures: dict[str, float], took: float) -> str:
    facts = machine_facts()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    baseline = figures["normal"]
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured {when} by `benchmarks/continuity.py` in {took:.0f} s: granian (2 "
            f"workers, 1 thread each) and a private PostgreSQL; {CLIENTS} API clients "
            f"submitting without pause for {SECONDS:.0f} s in each phase (an application "
            "with no documents, a new Idempotency-Key each). The spool is the file journal "
            "(one fsync per submission). "
            f"Machine: {facts['cores']} cores (nproc), {facts['cpu']}.",
            "",
            "| phase | per second | vs baseline |",
            "|---|---|---|",
            f"| database running: filed at once, 201 (baseline) | {baseline:.0f} | 1.00x |",
            f"| database stopped: spooled, 202 with a receipt | {figures['spooled']:.0f} | "
            f"{figures['spooled'] / baseline:.2f}x |",
            f"| database back: `passage replay_spool --once`, filed | {figures['replay']:.0f} | "
            f"{figures['replay'] / baseline:.2f}x |",
            "",
            f"{figures['spooled_count']:.0f} submissions spooled, filed in "
            f"{figures['replay_seconds']:.1f} s (the command's start included); other "
            f"answers: {figures['normal_other']:.0f} while running, "
            f"{figures['spooled_other']:.0f} while stopped. The replay files one record a "
            "transaction, as the API does, in one process.",
            "",
        ]
    )


def relief_report(figures: relief_bench.ReliefFigures, took: float) -> str:
    """The relief section: the pure rule alone is the baseline."""
    from passage.continuity.relief import BATCH  # Django is set up by relief_bench

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    n = figures.obligations
    pure_rate = n / figures.pure_seconds
    first_rate = figures.moved / figures.first_pass_seconds
    second_rate = n / figures.second_pass_seconds
    return "\n".join(
        [
            RELIEF_SECTION,
            "",
            f"Measured {when} by `benchmarks/continuity.py` in {took:.0f} s, on the benchmark "
            f"PostgreSQL: {relief_bench.CASES:,} cases loaded in bulk, {n:,} open document "
            "requests due on the day of one recorded outage of uploads, then "
            "`recompute_relief` for that outage as the task worker runs it, in one process.",
            "",
            "| computation | obligations per second | vs baseline |",
            "|---|---|---|",
            f"| the pure rule alone, no database (baseline) | {pure_rate:,.0f} | 1.00x |",
            f"| first pass: {figures.moved:,} dates moved, each an event on its case and a "
            f"link-only email | {first_rate:,.0f} | {first_rate / pure_rate:.3f}x |",
            f"| second pass: nothing left to change ({figures.changed_again} changed) | "
            f"{second_rate:,.0f} | {second_rate / pure_rate:.3f}x |",
            "",
            f"The first pass took {figures.first_pass_seconds:.0f} s for {n:,} obligations: "
            "each change is a case command (the case row locked, its event chained, the "
            "clients' email queued), committed in batches of "
            f"{BATCH}. The second pass reads and recomputes them all and writes nothing.",
            "",
        ]
    )


def main(write: Callable[[str, str], None] = write_section) -> int:
    started = time.perf_counter()
    figures = measure()
    section = report(figures, time.perf_counter() - started)
    print(section)
    write(SECTION, section)
    started = time.perf_counter()
    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    relief = relief_bench.measure(admin_url, obligations=RELIEF_OBLIGATIONS)
    section = relief_report(relief, time.perf_counter() - started)
    print(section)
    write(RELIEF_SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
