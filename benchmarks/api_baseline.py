"""API baseline: how fast Passage answers its two hot API calls, against a bare ceiling.

Measures, on PostgreSQL over loopback with 32 concurrent clients (wrk, closed loop):

- status look-ups per second through Passage's API (GET /api/v1/cases/{case_id} with a
  bearer token), with p50 and p99 latency;
- submissions per second (POST /api/v1/applications, a fresh Idempotency-Key each time);
- in the same run, the same SQL statements behind a bare ASGI endpoint (Starlette,
  psycopg 3 async pool, orjson, on uvicorn: benchmarks/support/bare_api.py) as the
  ceiling, and the ratio Passage / bare for each endpoint against the targets.

Before measuring it recreates a dedicated database, migrates it, loads a dataset in bulk
(benchmarks/support/dataset.py), captures the statements Passage runs for one request of
each kind and checks that the bare endpoint runs exactly those, smoke-tests both servers
(200 for the owner, 404 for a stranger, the same JSON and the same rows written from
both) and profiles Passage in-process. The figures go into the "API baseline" section of
benchmarks/results.md.

Run:  make bench
  or: .venv/bin/python benchmarks/api_baseline.py [--duration 15] [--runs 2] [--help]

Needs PostgreSQL on 127.0.0.1 (BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres, a role that may create databases) and wrk.
Everything stays on 127.0.0.1; servers run on free ports and are stopped by process group.
The whole run takes about five minutes and stops by itself.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "benchmarks" / "support"
sys.path.insert(0, str(SUPPORT))

import bare_api  # noqa: E402
import dataset  # noqa: E402
from http_bench import (  # noqa: E402
    Run,
    Server,
    background_load,
    bare_server,
    best,
    by_area,
    check_same_statements,
    database_url,
    django_server,
    django_setup,
    log,
    measure,
    package_versions,
    recreate_database,
    run_facts,
    running,
    send,
    server_command,
    short_sql,
    shown,
)
from results_file import RESULTS, write_section  # noqa: E402

# Passage binds parameters on the server, so psycopg prepares repeated statements (as the
# bare endpoint does). The comparison row turns that off through DATABASE_URL, as one must
# behind a pooler in transaction mode.
UNPREPARED_OPTIONS = "server_side_binding=false"
UNPREPARED_NAME = "Passage without prepared statements (granian WSGI)"
BENCH_DB = "passage_bench"
TARGETS = {"status": 0.5, "submission": 0.35}
STATUS_P99_TARGET_MS = 50.0
SUBMISSION_BODY = {
    "program": "iec",
    "category": "working-holiday",
    "given_name": "Amélie",
    "family_name": "Poulain",
    "date_of_birth": "1998-02-28",
    "citizenship": "FR",
    "email": "amelie@example.com",
    "preferred_language": "fr",
    "answers": {"funds_cad": 3000, "job_offer": False, "previous_visits": 0},
}


# Configuration and the database --------------------------------------------------------


@dataclass
class Config:
    admin_url: str
    bench_url: str
    cases: int
    applicants: int
    tokens: int
    duration: int
    warmup: int
    runs: int
    connections: int
    threads: int
    bare_workers: list[int]
    pool_size: int
    write: bool
    unprepared_variant: bool


def postgres_facts(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        facts = {"version": conn.execute("SHOW server_version").fetchone()[0]}  # type: ignore[index]
        for name in ("shared_buffers", "max_connections", "synchronous_commit", "fsync", "jit"):
            facts[name] = conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
        sizes = conn.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "(SELECT count(*) FROM cases_case), (SELECT count(*) FROM cases_caseevent)"
        ).fetchone()
    assert sizes is not None
    facts["size"], facts["cases_now"], facts["events_now"] = (str(value) for value in sizes)
    return facts


# Load files for wrk ----------------------------------------------------------------------


@dataclass
class LoadFiles:
    directory: Path
    pairs: Path
    tokens: Path
    pair_count: int
    sample: tuple[str, str]  # (token, case) of an owner
    stranger: tuple[str, str]  # (token, case of somebody else)


def write_load_files(data: dataset.Dataset, directory: Path) -> LoadFiles:
    pairs = directory / "status-pairs.txt"
    tokens = directory / "tokens.txt"
    count = 0
    with pairs.open("w") as out:
        for raw, user_id in data.tokens:
            for case_id in data.cases_of[user_id]:
                out.write(f"{raw} {case_id}\n")
                count += 1
    tokens.write_text("".join(f"{raw}\n" for raw, _ in data.tokens))
    (first_token, first_user), (_, second_user) = data.tokens[0], data.tokens[1]
    return LoadFiles(
        directory=directory,
        pairs=pairs,
        tokens=tokens,
        pair_count=count,
        sample=(first_token, data.cases_of[first_user][0]),
        stranger=(first_token, data.cases_of[second_user][0]),
    )


# Passage in-process: the statements it runs, and a profile -------------------------------


def submission_headers(token: str, key: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }


def capture_statements(
    call: Callable[..., tuple[int, dict[str, str], bytes]], files: LoadFiles
) -> dict[str, list[str]]:
    """The SQL Passage sends for one status look-up and one submission, in order."""
    from django.db import connection

    token, case_id = files.sample
    body = json.dumps(SUBMISSION_BODY).encode()
    call("GET", f"/api/v1/cases/{case_id}", {"Authorization": f"Bearer {token}"})
    captured: dict[str, list[str]] = {}
    for name, request in (
        ("status", ("GET", f"/api/v1/cases/{case_id}", {"Authorization": f"Bearer {token}"})),
        (
            "submission",
            ("POST", "/api/v1/applications", submission_headers(token, uuid.uuid4().hex), body),
        ),
    ):
        statements: list[str] = []

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append(sql)  # noqa: B023
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            status, _, content = call(*request)
        if status not in (200, 201):
            sys.exit(f"Passage answered {status} to the {name} request: {content[:300]!r}")
        captured[name] = statements
    return captured


def profile_in_process(
    call: Callable[..., tuple[int, dict[str, str], bytes]], files: LoadFiles, count: int
) -> dict[str, Any]:
    """Time and profile Passage in this process, one request after another (no server,
    no concurrency): mean latency per request and where the time goes, by package."""
    pairs = [line.split() for line in files.pairs.read_text().splitlines()[:2000]]
    body = json.dumps(SUBMISSION_BODY).encode()
    token = files.sample[0]

    def status(index: int) -> None:
        raw, case_id = pairs[index % len(pairs)]
        code, _, _ = call("GET", f"/api/v1/cases/{case_id}", {"Authorization": f"Bearer {raw}"})
        assert code == 200, code

    def submission(index: int) -> None:
        headers = submission_headers(token, f"profile-{uuid.uuid4().hex}")
        code, _, _ = call("POST", "/api/v1/applications", headers, body)
        assert code == 201, code

    report: dict[str, Any] = {}
    for name, function in (("status", status), ("submission", submission)):
        for index in range(100):
            function(index)
        started = time.perf_counter()
        for index in range(count):
            function(index)
        mean_us = (time.perf_counter() - started) / count * 1e6
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(count):
            function(index)
        profiler.disable()
        report[name] = {"mean_us": mean_us, "by_area": by_area(profiler), "count": count}
    from django.db import connections

    connections.close_all()
    return report


# Smoke tests -----------------------------------------------------------------------------

# Where each table's rows of one submission are, joined to the case as `c`.
SUBMISSION_ROWS = {
    "application": "intake_application t JOIN cases_case c ON c.application_id = t.id",
    "answers": "intake_applicationanswers t "
    "JOIN cases_case c ON c.application_id = t.application_id",
    "case": "cases_case t JOIN cases_case c ON c.id = t.id",
    "party": "cases_caseparty t JOIN cases_case c ON c.id = t.case_id",
    "event": "cases_caseevent t JOIN cases_case c ON c.id = t.case_id",
    "outbox": "messaging_outboxmessage t JOIN cases_case c ON c.id = t.case_id",
    "task": "django_tasks_database_dbtaskresult t "
    "JOIN cases_case c ON t.args_kwargs -> 'args' ->> 0 = c.public_id::text",
}
# Columns that differ from one submission to the next; `written_rows` checks them against
# each other instead.
VOLATILE_COLUMNS = frozenset(
    {"id", "public_id", "reference", "application_id", "case_id", "idempotency_key"}
    | {"received_at", "status_changed_at", "submitted_at", "recorded_at", "granted_at"}
    | {"occurred_at", "created_at", "next_attempt_at", "enqueued_at", "hash"}
    | {"last_event_hash", "args_kwargs"}
)
RECEIPT_INSTANTS = (
    ("application", "submitted_at"),
    ("answers", "recorded_at"),
    ("case", "status_changed_at"),
    ("party", "granted_at"),
    ("event", "occurred_at"),
    ("outbox", "created_at"),
    ("outbox", "next_attempt_at"),
)


def written_rows(url: str, case_id: str) -> dict[str, Any]:
    """The rows one submission wrote (its case is `case_id`) without the values that change
    from one submission to the next, and whether those agree with each other: the same
    instant of receipt, the case's chain head and the event's hash, the same key, the
    email's reference and the triage job's case."""
    from passage.cases.chain import event_hash

    written: dict[str, list[dict[str, Any]]] = {}
    with psycopg.connect(url) as conn:
        for name, source in SUBMISSION_ROWS.items():
            cursor = conn.execute(f"SELECT t.* FROM {source} WHERE c.public_id = %s", (case_id,))  # noqa: S608
            columns = [column.name for column in cursor.description or ()]
            written[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    counts = {name: len(rows) for name, rows in written.items()}
    if set(counts.values()) != {1}:
        return {"rows per table": counts}
    row = {name: rows[0] for name, rows in written.items()}
    case, event, task = row["case"], row["event"], row["task"]
    triage_args = {"args": [str(case["public_id"])], "kwargs": {}}
    checks = {
        "instants of receipt": all(
            row[table][column] == case["received_at"] for table, column in RECEIPT_INSTANTS
        ),
        "chain head": case["last_event_hash"] == event["hash"],
        "event hash": event["hash"]
        == event_hash(
            previous_hash=event["previous_hash"],
            case_public_id=str(case["public_id"]),
            sequence=event["sequence"],
            kind=event["kind"],
            actor_id=event["actor_id"],
            actor_role=event["actor_role"],
            occurred_at=event["occurred_at"],
            payload=event["payload"],
            ruleset_version=event["ruleset_version"],
            idempotency_key=event["idempotency_key"],
        ),
        "event key": event["idempotency_key"] == row["application"]["idempotency_key"],
        "email reference": row["outbox"]["context"].get("reference") == case["reference"],
        "triage job": task["args_kwargs"] == triage_args
        and task["enqueued_at"] >= case["received_at"],
    }
    kept = {
        name: {column: value for column, value in values.items() if column not in VOLATILE_COLUMNS}
        for name, values in row.items()
    }
    kept["outbox"]["context"] = {
        key: value for key, value in row["outbox"]["context"].items() if key != "reference"
    }
    return {"rows": kept, "checks": checks}


def smoke_test(server: Server, files: LoadFiles, reference: dict[str, Any], url: str) -> None:
    """Owner gets 200, stranger 404, no token 401, a submission 201 and its replay the same
    case; the status body must equal the first server's byte for byte, and the rows the
    submission wrote the first server's (but for ids, instants, keys and hashes)."""
    token, case_id = files.sample
    bearer = {"Authorization": f"Bearer {token}"}
    status, _, content = send(server.port, "GET", f"/api/v1/cases/{case_id}", bearer)
    if status != 200:
        raise RuntimeError(f"{server.name}: owner got {status} {content[:200]!r}")
    reference.setdefault("status", content)
    if content != reference["status"]:
        raise RuntimeError(
            f"{server.name} answers a different status body:\n{content[:400]!r}\n"
            f"{reference['status'][:400]!r}"
        )
    stranger_token, stranger_case = files.stranger
    status, _, _ = send(
        server.port,
        "GET",
        f"/api/v1/cases/{stranger_case}",
        {"Authorization": f"Bearer {stranger_token}"},
    )
    if status != 404:
        raise RuntimeError(f"{server.name}: a stranger got {status}, not 404")
    status, _, _ = send(server.port, "GET", f"/api/v1/cases/{case_id}")
    if status != 401:
        raise RuntimeError(f"{server.name}: no token got {status}, not 401")
    key = f"smoke-{uuid.uuid4().hex}"
    body = json.dumps(SUBMISSION_BODY).encode()
    answers = [
        send(server.port, "POST", "/api/v1/applications", submission_headers(token, key), body)
        for _ in range(2)
    ]
    (first, _, first_body), (second, second_headers, second_body) = answers
    if first != 201 or second != 201:
        raise RuntimeError(f"{server.name}: submission got {first} then {second}: {first_body!r}")
    if json.loads(first_body) != json.loads(second_body) or not any(
        name.lower() == "idempotent-replayed" for name in second_headers
    ):
        raise RuntimeError(f"{server.name}: the replay did not return the first case")
    if sorted(json.loads(first_body)) != ["case_id", "received_at", "reference", "status"]:
        raise RuntimeError(f"{server.name}: unexpected submission body {first_body!r}")
    written = written_rows(url, json.loads(first_body)["case_id"])
    failed = [name for name, ok in written.get("checks", {}).items() if not ok]
    if "rows" not in written or failed:
        raise RuntimeError(f"{server.name}: the submission's rows do not agree: {written}")
    reference.setdefault("rows", written["rows"])
    if written["rows"] != reference["rows"]:
        differences = {
            name: (rows, reference["rows"][name])
            for name, rows in written["rows"].items()
            if rows != reference["rows"][name]
        }
        raise RuntimeError(
            f"{server.name} writes different rows for a submission (its own, then the "
            f"first server's): {differences}"
        )
    log(f"{server.name}: smoke test passed (200, 404, 401, 201, replay, same rows)")


# Load ----------------------------------------------------------------------------------


def wrk_argv(
    config: Config, port: int, endpoint: str, seconds: int, files: LoadFiles, run_id: str
) -> list[str]:
    script = SUPPORT / ("status.lua" if endpoint == "status" else "submit.lua")
    argv = [
        "wrk",
        f"-t{config.threads}",
        f"-c{config.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
        "--",
    ]
    if endpoint == "status":
        return [*argv, str(files.pairs)]
    return [*argv, str(files.tokens), run_id]


# Report --------------------------------------------------------------------------------


def report(
    config: Config,
    runs: list[Run],
    facts: dict[str, Any],
    files: LoadFiles,
    data: dataset.Dataset,
    profile: dict[str, Any],
    captured: dict[str, list[str]],
    commands: dict[str, str],
    ceilings: dict[str, str],
) -> str:
    machine, pg = facts["machine"], facts["postgres"]
    lines = [
        "## API baseline",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/api_baseline.py` "
        f"(`make bench`). Closed loop: wrk with {config.connections} connections and "
        f"{config.threads} threads; {config.warmup} s warm-up, then {config.runs} runs of "
        f"{config.duration} s per configuration; the table shows the **better run** (higher "
        "req/s) of each, with that run's latencies. Every run is listed further down.",
        "",
        "| endpoint | Passage req/s | p50 ms | p99 ms | bare req/s | p50 ms | p99 ms | ratio "
        "| target | met? |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for endpoint, path in (
        ("status", "GET /api/v1/cases/{id}"),
        ("submission", "POST /api/v1/applications"),
    ):
        ours = best(runs, "Passage (granian", endpoint)
        bare = best(runs, ceilings[endpoint], endpoint)
        ratio = ours.rate / bare.rate
        target = f"≥ {TARGETS[endpoint]}x"
        met = ratio >= TARGETS[endpoint]
        if endpoint == "status":
            target += f", p99 ≤ {STATUS_P99_TARGET_MS:.0f} ms"
            met = met and ours.p99_ms <= STATUS_P99_TARGET_MS
        lines.append(
            f"| {endpoint} `{path}` | {ours.rate:,.0f} | {ours.p50_ms:.1f} | {ours.p99_ms:.1f} "
            f"| {bare.rate:,.0f} | {bare.p50_ms:.1f} | {bare.p99_ms:.1f} | {ratio:.2f}x "
            f"| {target} | {'yes' if met else '**no**'} |"
        )
        verdicts.append((endpoint, ours, bare, ratio, met))
    lines += ["", "The bare ceiling of each endpoint is its faster uvicorn configuration: "]
    lines[-1] += "; ".join(
        f"{endpoint}: {bare.stack}, pool of {config.pool_size} per worker"
        for endpoint, _ours, bare, _ratio, _met in verdicts
    )
    lines[-1] += "."
    lines.append("")
    unprepared = {run.endpoint: run for run in runs if run.stack == UNPREPARED_NAME}
    for endpoint, ours, bare, ratio, met in verdicts:
        if met:
            continue
        needed = TARGETS[endpoint] * bare.rate
        text = (
            f"**{endpoint.capitalize()} target missed:** ratio {ratio:.2f}x against "
            f"{TARGETS[endpoint]}x ({ours.rate:,.0f} req/s; the ratio needs {needed:,.0f}, "
            f"{needed / ours.rate - 1:+.0%})"
        )
        if endpoint == "status" and ours.p99_ms > STATUS_P99_TARGET_MS:
            text += f"; p99 {ours.p99_ms:.1f} ms against {STATUS_P99_TARGET_MS:.0f} ms"
        app_ms, bare_ms = _per_request(ours.app_cores, ours), _per_request(bare.app_cores, bare)
        pg_ms, bare_pg_ms = (
            _per_request(ours.postgres_cores, ours),
            _per_request(bare.postgres_cores, bare),
        )
        text += (
            f". Per request Passage costs {app_ms:.2f} ms of application CPU against "
            f"{bare_ms:.2f} ms for the bare endpoint, and {pg_ms:.2f} ms of PostgreSQL CPU "
            f"against {bare_pg_ms:.2f} ms for the same statements, on two cores shared by "
            "both and wrk. The application side is Django's request handling, middleware and "
            "cursor layer (profile below)."
        )
        if endpoint in unprepared:
            best_unprepared = max(
                (r for r in runs if r.stack == UNPREPARED_NAME and r.endpoint == endpoint),
                key=lambda r: r.rate,
            )
            text += (
                f" Without prepared statements (`{UNPREPARED_OPTIONS}` in DATABASE_URL) "
                f"Passage reached {best_unprepared.rate:,.0f} req/s, p99 "
                f"{best_unprepared.p99_ms:.1f} ms in this run: "
                f"{best_unprepared.rate / bare.rate:.2f}x the bare endpoint."
            )
        lines += [text, ""]
    lines += [
        "CPU per request (cores busy during the run ÷ req/s), from /proc:",
        "",
        "| stack | endpoint | app CPU ms/request | PostgreSQL CPU ms/request | cores: app / "
        "PostgreSQL / wrk / anything else |",
        "|---|---|---|---|---|",
    ]
    for endpoint, ours, bare, _ratio, _met in verdicts:
        variant = (
            [
                max(
                    (r for r in runs if r.stack == UNPREPARED_NAME and r.endpoint == endpoint),
                    key=lambda r: r.rate,
                )
            ]
            if endpoint in unprepared
            else []
        )
        for run in (ours, *variant, bare):
            lines.append(
                f"| {run.stack} | {endpoint} | {run.app_cores / run.rate * 1000:.2f} "
                f"| {run.postgres_cores / run.rate * 1000:.2f} "
                f"| {run.app_cores:.2f} / {run.postgres_cores:.2f} / {run.wrk_cores:.2f} "
                f"/ {run.other_cores:.2f} |"
            )
    lines += [
        "",
        "### Every run",
        "",
        "| stack | endpoint | run | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx "
        "| socket errors | other load (cores) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.stack} | {run.endpoint} | {run.number} | {run.rate:,.0f} "
            f"| {run.p50_ms:.1f} | {run.p90_ms:.1f} | {run.p99_ms:.1f} | {run.max_ms:.1f} "
            f"| {run.non2xx} | {run.socket_errors} | {run.other_cores:.2f} |"
        )
    errors = sum(run.errors for run in runs)
    busiest = max(run.other_cores for run in runs)
    lines += [
        "",
        f"Non-2xx responses and socket errors over all measured runs: {errors}. The last "
        "column is CPU used during the run by processes other than wrk, the server under "
        "test and PostgreSQL (from /proc/stat): anything well above zero means something "
        f"else was competing for the two cores; the highest was {busiest:.2f}.",
        "",
    ]
    if unprepared:
        lines += [
            f'The rows "{UNPREPARED_NAME}" are Passage with `{UNPREPARED_OPTIONS}` added to '
            "DATABASE_URL, so that Django binds parameters on the client and PostgreSQL plans "
            "every statement again (the setting a pooler in transaction mode needs), measured "
            "in the same run for comparison; they are not in the ratios.",
            "",
        ]
    lines += [
        "### Where Passage's time goes",
        "",
        "In-process, one request after another through Passage's WSGI application (no "
        "server, no concurrency), with cProfile; own time of each function summed by "
        "package. The profiler slows Python code more than waits, so read the shares as "
        "an order of magnitude.",
        "",
        "| area | status | submission |",
        "|---|---|---|",
    ]
    areas = [area for area, _share in profile["status"]["by_area"]]
    areas += [a for a, _s in profile["submission"]["by_area"] if a not in areas]
    shares = {name: dict(profile[name]["by_area"]) for name in ("status", "submission")}
    for area in areas:
        lines.append(
            f"| {area} | {shares['status'].get(area, 0):.0%} "
            f"| {shares['submission'].get(area, 0):.0%} |"
        )
    lines += [
        f"| mean time per request without the profiler ({profile['status']['count']} "
        f"requests) | {profile['status']['mean_us'] / 1000:.2f} ms "
        f"| {profile['submission']['mean_us'] / 1000:.2f} ms |",
        "",
        "### Same work on both stacks",
        "",
        "The benchmark captures the statements Passage sends for one request of each kind "
        "(with `connection.execute_wrapper`) and stops unless "
        "`benchmarks/support/bare_api.py` holds exactly the same ones in the same order. "
        "The bare endpoint also hashes the token, checks roles, validates the body, computes "
        "the request hash, the event hash and a reference number, builds the confirmation "
        "email's sign-in link, writes the same values (the rows of a submission by each "
        "server are compared, but for ids, instants, keys and hashes, which are checked "
        "against each other) and answers with the same JSON (the status bodies of both "
        "servers are compared byte for byte). Both bind parameters on the server, so "
        "psycopg prepares each statement after five uses.",
        "",
    ]
    for name in ("status", "submission"):
        transaction = "; the writes run between BEGIN and COMMIT" if name == "submission" else ""
        lines.append(f"{name.capitalize()}: {len(captured[name])} statements{transaction}.")
        lines.append("")
        lines += [f"1. `{short_sql(sql)}`" for sql in captured[name]]
        lines.append("")
    lines += [
        "### Setup",
        "",
        f"- Machine: {machine['cores']} cores (`nproc`), {machine['cpu']}, {machine['memory']} "
        f"RAM, {machine['os']}, kernel {machine['kernel']}. wrk, the servers and PostgreSQL "
        "share the same cores.",
        f"- Versions: Python {machine['python']}, PostgreSQL {pg['version']}, wrk "
        f"{machine['wrk']}; {package_versions()}.",
        f"- PostgreSQL settings: shared_buffers {pg['shared_buffers']}, max_connections "
        f"{pg['max_connections']}, synchronous_commit {pg['synchronous_commit']}, fsync "
        f"{pg['fsync']}, jit {pg['jit']} (the server's own configuration, untouched).",
        f"- Dataset (database `{BENCH_DB}`, dropped and re-created by the benchmark): "
        f"{data.cases:,} cases, {data.events:,} events (1 to 20 per case, inserted in time "
        f"order), {data.applicants:,} applicants each the applicant party to their cases, "
        f"{data.officers} officers, one program (`iec`), {len(data.tokens):,} API tokens. "
        f"Status look-ups pick uniformly among the {files.pair_count:,} (token, case) pairs "
        "where the token's holder is the case's applicant. After the run the database held "
        f"{int(pg['cases_now']):,} cases and {int(pg['events_now']):,} events ({pg['size']}).",
        "- Submissions: the same valid application each time (answers, no documents), from "
        "a random token holder (none has authorised a representative), with a new "
        "Idempotency-Key per request; each queues the confirmation email and the triage job "
        "(no worker runs them during the benchmark).",
        "- Passage: granian WSGI, 2 workers, 1 blocking thread each, no access log, "
        "`PASSAGE_DEBUG=0`, `DATABASE_URL` to the benchmark database, persistent connections "
        "(`conn_max_age=None` in settings).",
        f"- Bare: uvicorn with uvloop and httptools, {' and '.join(map(str, config.bare_workers))}"
        f" worker(s), psycopg pool of {config.pool_size} connections per worker, autocommit "
        "reads, one transaction per submission.",
        f"- Before the run, other processes kept {facts['background']:.2f} cores busy.",
        "",
        "Commands (`$DATA` is a temporary folder of load files the benchmark writes, `PORT` "
        "a free port it picks, `RUN_ID` a number unique to each run):",
        "",
        "```",
    ]
    lines += [f"{label}: {command}" for label, command in commands.items()]
    lines += ["```", ""]
    return "\n".join(lines)


def _per_request(cores: float, run: Run) -> float:
    """Milliseconds of CPU per request from cores kept busy during a run."""
    return cores / run.rate * 1000


# Main ----------------------------------------------------------------------------------


def parse_args() -> Config:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--applicants", type=int, default=5_000)
    parser.add_argument("--tokens", type=int, default=2_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up")
    parser.add_argument("--runs", type=int, default=2, help="measured runs per configuration")
    parser.add_argument("--bare-workers", default="1,2", help="uvicorn worker counts to try")
    parser.add_argument("--pool-size", type=int, default=4, help="bare pool size per worker")
    parser.add_argument(
        "--unprepared-variant",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also measure Passage with DATABASE_URL ...?{UNPREPARED_OPTIONS} (not in the ratio)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch results.md")
    args = parser.parse_args()
    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    bench_url = database_url(admin_url, BENCH_DB)
    return Config(
        admin_url=database_url(admin_url, urlsplit(admin_url).path.lstrip("/") or "postgres"),
        bench_url=bench_url,
        cases=args.cases,
        applicants=args.applicants,
        tokens=args.tokens,
        duration=args.duration,
        warmup=args.warmup,
        runs=args.runs,
        connections=32,
        threads=2,
        bare_workers=[int(n) for n in args.bare_workers.split(",")],
        pool_size=args.pool_size,
        write=not args.no_write,
        unprepared_variant=args.unprepared_variant,
    )


TIME_BUDGET_SECONDS = 15 * 60


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeoutError(f"the benchmark ran longer than {TIME_BUDGET_SECONDS} s")


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so that the servers are stopped too


def main() -> int:
    config = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (scripts/run-benchmarks installs it).")
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, _terminated)
    signal.alarm(TIME_BUDGET_SECONDS)  # a hard stop; the servers are stopped on the way out
    started = time.monotonic()
    background = background_load()
    log(f"Other processes are using {background:.2f} cores before the run")
    if background > 0.2:
        log("The machine is busy: expect lower and noisier figures")
    with tempfile.TemporaryDirectory(prefix="passage-bench-") as tmp:
        directory = Path(tmp)
        log(f"Re-creating database {BENCH_DB} and migrating it")
        recreate_database(config.admin_url, config.bench_url)
        log(f"Loading {config.cases:,} cases with their events, people and tokens")
        data = dataset.load(
            config.bench_url, cases=config.cases, applicants=config.applicants, tokens=config.tokens
        )
        log(f"Loaded {data.cases:,} cases and {data.events:,} events")
        files = write_load_files(data, directory)

        call = django_setup(config.bench_url)
        captured = capture_statements(call, files)
        check_same_statements(
            captured,
            {"status": bare_api.STATUS_STATEMENTS, "submission": bare_api.SUBMIT_STATEMENTS},
            "bare_api",
        )
        log("Profiling Passage in-process")
        profile = profile_in_process(call, files, 500)
        for name in ("status", "submission"):
            log(f"  {name}: {profile[name]['mean_us'] / 1000:.2f} ms per request in-process")

        servers: list[Callable[[], Server]] = [
            lambda: django_server(config, directory),
            *[
                lambda workers=workers: bare_server(config, directory, workers, "bare_api:app")
                for workers in config.bare_workers
            ],
        ]
        if config.unprepared_variant:
            unprepared_url = f"{config.bench_url}?{UNPREPARED_OPTIONS}"
            servers.append(
                lambda: django_server(config, directory, unprepared_url, UNPREPARED_NAME)
            )
        runs: list[Run] = []
        commands: dict[str, str] = {}
        reference: dict[str, Any] = {}
        for endpoint in ("status", "submission"):
            for make in servers:
                server = make()
                commands.setdefault(server.name, server_command(server))
                with running(server):
                    if endpoint == "status":
                        smoke_test(server, files, reference, config.bench_url)
                    measured = measure(config, server, endpoint, files, wrk_argv)
                    commands.setdefault(
                        f"wrk {endpoint}",
                        shown(
                            " ".join(
                                wrk_argv(config, 0, endpoint, config.duration, files, "RUN_ID")
                            ),
                            files,
                        ).replace("127.0.0.1:0", "127.0.0.1:PORT"),
                    )
                runs += measured
        ceilings = {}
        for endpoint in ("status", "submission"):
            fastest = max(
                (best(runs, f"bare (uvicorn, {w} worker", endpoint) for w in config.bare_workers),
                key=lambda run: run.rate,
            )
            ceilings[endpoint] = fastest.stack
        facts: dict[str, Any] = {
            "machine": run_facts(),
            "postgres": postgres_facts(config.bench_url),
        }
        commands["benchmark"] = "make bench  # or .venv/bin/python benchmarks/api_baseline.py"
        facts["background"] = background
        section = report(config, runs, facts, files, data, profile, captured, commands, ceilings)
    signal.alarm(0)
    print()
    print(section)
    if config.write:
        write_section("## API baseline", section)
        log(f"Wrote the API baseline section of {shown(str(RESULTS))}")
    log(f"Done in {time.monotonic() - started:.0f} s")
    errors = sum(run.errors for run in runs)
    if errors:
        log(f"{errors} non-2xx responses or socket errors: the figures are not trustworthy")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
