"""The next-case benchmark: officers taking files at the same time on PostgreSQL.

A dedicated database is migrated and filled with the API benchmark's dataset (cases of
every status, about ten events each); the open ones are put in review with a tier, and
every officer is given the skills and languages that cover them. Then the officers, one
thread each with its own connection, spread over a few worker processes as a web
server's workers would serve them (benchmarks/support/claimer.py), ask for their next
file at random moments (Poisson, `rate` per second per officer) through
`claim_next_case`: the real service, with its SKIP LOCKED query, the `work.started`
event and the hash chain.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import dataset
import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"

CLAIM_DB = "passage_bench_claims"


@dataclass(frozen=True)
class ClaimFigures:
    officers: int
    seconds: float
    rate_per_officer: float
    claims: int
    empty: int
    duplicates: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    claims_per_second: float


def prepare(admin_url: str, *, cases: int, officers: int) -> tuple[str, list[int], int]:
    """A fresh database with `cases` files and `officers` officers; returns its URL, the
    officers' ids and the number of files ready to be taken."""
    url = admin_url.rsplit("/", 1)[0] + f"/{CLAIM_DB}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{CLAIM_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{CLAIM_DB}"')
    env = {**os.environ, "DATABASE_URL": url, "PASSAGE_DEBUG": "0"}
    subprocess.run([BIN / "passage", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    loaded = dataset.load(
        url, cases=cases, applicants=max(1, cases // 2), tokens=0, officers=officers
    )
    officer_ids = list(range(loaded.applicants + 1, loaded.applicants + officers + 1))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE cases_case SET status = 'in_review', tier = 1 + id % 3, "
            "assigned_to_id = NULL, assigned_at = NULL, work_started_at = NULL "
            "WHERE status <> 'approved'"
        )
        ready = conn.execute(
            "SELECT count(*) FROM cases_case WHERE status = 'in_review'"
        ).fetchone()[0]  # type: ignore[index]
        with conn.cursor().copy(
            "COPY workbench_officerprofile (officer_id, weekly_capacity) FROM STDIN"
        ) as copy:
            for officer_id in officer_ids:
                copy.write_row((officer_id, 1000))
        with conn.cursor().copy(
            "COPY workbench_skill (officer_id, kind, value, proficiency) FROM STDIN"
        ) as copy:
            for officer_id in officer_ids:
                copy.write_row((officer_id, "program", dataset.PROGRAM_CODE, 3))
                copy.write_row((officer_id, "language", "en", 5))
                copy.write_row((officer_id, "language", "fr", 4))
        conn.execute("VACUUM ANALYZE cases_case")
        conn.execute("VACUUM ANALYZE cases_caseevent")
    return url, officer_ids, int(ready)


def measure(
    url: str, officer_ids: list[int], *, seconds: float, rate: float, processes: int = 5
) -> ClaimFigures:
    """Run the officers, one thread each, spread over `processes` worker processes (as
    a web server's workers would serve them), for `seconds`, each claiming `rate` times a
    second on average; collect every latency and check that no file was taken twice."""
    env = {**os.environ, "DATABASE_URL": url, "PASSAGE_DEBUG": "0"}
    groups = [officer_ids[index::processes] for index in range(processes)]
    with tempfile.TemporaryDirectory() as folder:
        go = Path(folder) / "go"
        outputs = [Path(folder) / f"worker{index}.json" for index in range(processes)]
        workers = [
            subprocess.Popen(
                [
                    BIN / "python",
                    ROOT / "benchmarks/support/claimer.py",
                    ",".join(str(officer_id) for officer_id in group),
                    str(go),
                    str(seconds),
                    str(rate),
                    str(out),
                ],
                env=env,
                cwd=ROOT,
            )
            for group, out in zip(groups, outputs, strict=True)
        ]
        # Start the clock only once every officer has loaded Passage and connected, so
        # that no process is still starting up while the others are measured.
        while not all(Path(f"{out}.ready").exists() for out in outputs):
            if any(worker.poll() not in (None, 0) for worker in workers):
                raise RuntimeError("an officer process failed to start")
            time.sleep(0.1)
        time.sleep(2)
        go.write_text(str(time.time() + 1))
        for worker in workers:
            if worker.wait() != 0:
                raise RuntimeError("an officer process failed")
        results = [json.loads(out.read_text()) for out in outputs]
    latencies = sorted(ms * 1000 for result in results for ms in result["latencies"])
    taken = [pk for result in results for pk in result["taken"]]
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return ClaimFigures(
        officers=len(officer_ids),
        seconds=seconds,
        rate_per_officer=rate,
        claims=len(latencies),
        empty=sum(result["empty"] for result in results),
        duplicates=len(taken) - len(set(taken)),
        p50_ms=statistics.median(latencies),
        p90_ms=quantiles[89],
        p99_ms=quantiles[98],
        max_ms=latencies[-1],
        claims_per_second=len(latencies) / seconds,
    )
