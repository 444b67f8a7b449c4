"""What the deadline on every database call costs (`passage/postgresql/deadlines.py`).

Passage's PostgreSQL backend arms a deadline around every statement, so that a server
that stops answering ends the request with a 503 instead of hanging it. This measures the
price: the same short statements (`SELECT %s`, one round trip each) through Django's own
PostgreSQL backend (the baseline) and through Passage's, in interleaved rounds, in one
thread and in four threads at once (as granian's blocking threads would run them).

Run with `scripts/run-benchmarks db_deadlines` (`make bench` runs it with the others);
`DATABASE_URL` names the server (by default PostgreSQL on 127.0.0.1:5432, database
`postgres`). It writes its section of benchmarks/results.md.
"""

import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "support"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper  # noqa: E402
from machine import machine_facts  # noqa: E402
from results_file import write_section  # noqa: E402

from passage.postgresql.base import DatabaseWrapper as PassageWrapper  # noqa: E402

SECTION = "## Database call deadlines"
STATEMENTS = 4_000  # per thread and round
ROUNDS = 5
THREADS = (1, 4)
BACKENDS: dict[str, type[Any]] = {
    "Django's backend (baseline)": DjangoWrapper,
    "Passage's backend, with deadlines": PassageWrapper,
}


def open_connection(wrapper: type[Any]) -> Any:
    settings_dict = dict(connections["default"].settings_dict)
    connection = wrapper(settings_dict, alias=f"bench-{id(settings_dict)}")
    connection.ensure_connection()
    return connection


def run_statements(connection: Any, count: int) -> None:
    with connection.cursor() as cursor:
        for number in range(count):
            cursor.execute("SELECT %s", [number])
            cursor.fetchone()


def timed_round(wrapper: type[Any], threads: int) -> float:
    """Microseconds per statement, wall time, with `threads` connections at once (each
    opened and warmed in its own thread, as Django wants, before the clock starts)."""
    ready = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def work() -> None:
        connection = open_connection(wrapper)
        try:
            run_statements(connection, 200)  # warm: prepared statements, caches
            ready.wait()
            run_statements(connection, STATEMENTS)
        except BaseException as error:
            errors.append(error)
            ready.abort()
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return elapsed / (STATEMENTS * threads) * 1e6


def measure() -> dict[tuple[str, int], list[float]]:
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(ROUNDS):
        for threads in THREADS:
            for name, wrapper in BACKENDS.items():
                times.setdefault((name, threads), []).append(timed_round(wrapper, threads))
    return times


def report(times: dict[tuple[str, int], list[float]], took: float) -> str:
    facts = machine_facts()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"Measured {when} by `benchmarks/db_deadlines.py` in {took:.0f} s: `SELECT %s` and "
        f"its row, {STATEMENTS:,} statements per thread and round, {ROUNDS} interleaved "
        "rounds per configuration; median and best round, in microseconds per statement "
        f"(wall time ÷ statements). Machine: {facts['cores']} cores (nproc), {facts['cpu']}.",
        "",
        "| threads | backend | median µs | best µs | median vs baseline |",
        "|---|---|---|---|---|",
    ]
    baseline_name = next(iter(BACKENDS))
    for threads in THREADS:
        baseline = statistics.median(times[(baseline_name, threads)])
        for name in BACKENDS:
            runs = times[(name, threads)]
            median = statistics.median(runs)
            lines.append(
                f"| {threads} | {name} | {median:.1f} | {min(runs):.1f} | "
                f"{median / baseline:.2f}x |"
            )
    lines += [
        "",
        "A statement here is one loopback round trip, the cheapest a request makes, so the "
        "ratio is the most the deadlines can cost; a page runs a handful of statements "
        "among its rendering.",
        "",
    ]
    return "\n".join(lines)


def main(write: Callable[[str, str], None] = write_section) -> int:
    started = time.perf_counter()
    times = measure()
    section = report(times, time.perf_counter() - started)
    print(section)
    write(SECTION, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
