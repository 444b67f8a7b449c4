"""What the HTTP benchmarks (api_baseline, tracker) share: the benchmark database, Passage
in-process, the servers under test (started and stopped by process group), wrk runs with
the CPU each side used, and the report's machine facts."""

from __future__ import annotations

import cProfile
import http.client
import io
import json
import os
import platform
import pstats
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from machine import machine_facts

SUPPORT = Path(__file__).resolve().parent
ROOT = SUPPORT.parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Builds wrk's command line: (config, port, endpoint, seconds, load files, run id).
WrkArgv = Callable[[Any, int, str, int, Any, str], list[str]]


def log(message: str) -> None:
    print(f"[{datetime.now(UTC).strftime('%H:%M:%S')}] {message}", flush=True)


# The benchmark database ---------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    parts = urlsplit(admin_url)
    if parts.hostname not in LOOPBACK:
        sys.exit(f"Refusing to benchmark a database that is not on loopback: {parts.hostname}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(admin_url: str, bench_url: str) -> None:
    """Drop and create the database of `bench_url`, then migrate it."""
    name = urlsplit(bench_url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": bench_url, "PASSAGE_DEBUG": "0"}
    subprocess.run([BIN / "passage", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)


# Passage in-process -------------------------------------------------------------------


def django_setup(bench_url: str) -> Callable[..., tuple[int, dict[str, str], bytes]]:
    """Set Django up in this process against the benchmark database, and return a function
    that sends one request through Passage's WSGI application, as a server would."""
    os.environ["DATABASE_URL"] = bench_url
    os.environ["PASSAGE_DEBUG"] = "0"
    os.environ["PASSAGE_RATE_LIMITS"] = "0"  # one client, many writes: see passage_server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passage.settings")
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    from passage.wsgi import application

    logging.getLogger("django.request").setLevel(logging.ERROR)

    def call(
        method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, str], bytes]:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            started.append((status, headers))
            return lambda data: None

        result = application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            result.close()  # type: ignore[attr-defined]
        status, response_headers = started[0]
        return int(status.split()[0]), dict(response_headers), content

    return call


def check_same_statements(
    captured: dict[str, list[str]], expected: dict[str, list[str]], bare_module: str
) -> None:
    """Stop unless the bare endpoint (benchmarks/support/`bare_module`.py) runs exactly the
    statements Passage runs, for each kind of request in `expected`."""
    import difflib

    def normal(sql: str) -> str:
        return " ".join(sql.split())

    for name, bare in expected.items():
        ours = [normal(sql) for sql in captured[name]]
        theirs = [normal(sql) for sql in bare]
        if ours != theirs:
            diff = "\n".join(
                difflib.unified_diff(theirs, ours, bare_module, "passage", lineterm="")
            )
            sys.exit(
                f"The bare endpoint's {name} statements differ from Passage's; update "
                f"benchmarks/support/{bare_module}.py:\n{diff}"
            )
    log("Passage and the bare endpoint run the same statements")


WAITING = "waiting for PostgreSQL (round trips)"
_AREAS = (
    ("psycopg (sending, adapting, loading)", ("psycopg",)),
    ("Django ORM (building and compiling queries, models)", ("django/db/models",)),
    ("Django database layer (cursors, transactions)", ("django/db",)),
    ("Django request handling and middleware", ("django/", "whitenoise/", "asgiref/")),
    ("django-ninja (routing, parameters, auth hooks)", ("ninja/",)),
    ("pydantic (request validation)", ("pydantic",)),
    ("Passage code", ("passage/",)),
)


def by_area(profiler: cProfile.Profile) -> list[tuple[str, float]]:
    """Own time of every profiled function, summed by the package it belongs to."""
    stats = pstats.Stats(profiler)
    totals: dict[str, float] = {}
    grand = 0.0
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        grand += own
        area = "Python standard library and built-ins"
        if filename.endswith("psycopg/connection.py") and function == "wait":
            area = WAITING
        else:
            for label, needles in _AREAS:
                if any(needle in filename for needle in needles):
                    area = label
                    break
        totals[area] = totals.get(area, 0.0) + own
    return sorted(((area, own / grand) for area, own in totals.items()), key=lambda x: -x[1])


# Servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def send(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@dataclass
class Server:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    shown_env: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 45) -> None:
        log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                status, _, _ = send(self.port, "GET", f"/api/v1/cases/{uuid.UUID(int=0)}")
                if status == 401:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        group = self.process.pid  # start_new_session: the server leads its own group
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def cpu_ticks(self) -> dict[int, int]:
        """CPU time used so far by each process of the server's process group."""
        assert self.process is not None
        group = self.process.pid
        return _cpu_ticks(lambda stat: int(stat[4]) == group)


def cpu_seconds_between(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU time used between two snapshots by the processes in them; a process that
    ended in between is left out rather than counted negative."""
    ticks = sum(used - before.get(pid, 0) for pid, used in after.items())
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_ticks(select: Callable[[list[str]], bool]) -> dict[int, int]:
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        head, _, rest = text.rpartition(")")
        stat = [head.split(" (", 1)[0], head.split(" (", 1)[-1], *rest.split()]
        if select(stat):
            ticks[int(stat[0])] = int(stat[13]) + int(stat[14])
    return ticks


def busy_cpu_seconds() -> float:
    """CPU time used so far by the whole machine (every core, every process)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def background_load(seconds: float = 3.0) -> float:
    """Cores kept busy by whatever runs on the machine, over a few seconds."""
    before = busy_cpu_seconds()
    time.sleep(seconds)
    return (busy_cpu_seconds() - before) / seconds


def postgres_cpu_ticks() -> dict[int, int]:
    return _cpu_ticks(lambda stat: stat[1] == "postgres")


def django_server(
    config: Any, logs: Path, url: str | None = None, name: str = "Passage (granian WSGI)"
) -> Server:
    port = free_port()
    argv = [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--workers",
        "2",
        "--blocking-threads",
        "1",
        "--no-access-log",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "passage.wsgi:application",
    ]
    env = {
        **os.environ,
        "PASSAGE_DEBUG": "0",
        "DATABASE_URL": url or config.bench_url,
        "DJANGO_SETTINGS_MODULE": "passage.settings",
        # A load generator is one client sending thousands of writes a minute: past the
        # rate limits every request would be a 429, which measures nothing.
        "PASSAGE_RATE_LIMITS": "0",
    }
    shown_env = (
        f"PASSAGE_DEBUG=0 PASSAGE_RATE_LIMITS=0 "
        f"DATABASE_URL='{_without_password(env['DATABASE_URL'])}'"
    )
    return Server(name, argv, env, port, logs / "granian.log", shown_env)


def bare_server(
    config: Any,
    logs: Path,
    workers: int,
    app: str,
    env: dict[str, str] | None = None,
    shown_env: str = "",
) -> Server:
    """The bare endpoint `app` (module:attribute in benchmarks/support) on uvicorn; `env`
    and `shown_env` are its settings beyond the database and the pool size."""
    port = free_port()
    argv = [
        str(BIN / "uvicorn"),
        "--app-dir",
        str(SUPPORT),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
        app,
    ]
    full_env = {
        **os.environ,
        "BARE_DATABASE_URL": config.bench_url,
        "BARE_POOL_SIZE": str(config.pool_size),
        **(env or {}),
    }
    name = f"bare (uvicorn, {workers} worker{'s' if workers > 1 else ''})"
    full_shown_env = (
        f"BARE_DATABASE_URL='{_without_password(config.bench_url)}' "
        f"BARE_POOL_SIZE={config.pool_size}" + (f" {shown_env}" if shown_env else "")
    )
    return Server(name, argv, full_env, port, logs / "uvicorn.log", full_shown_env)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


@contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        server.start()
        yield server
    finally:
        server.stop()


# Load ----------------------------------------------------------------------------------


@dataclass
class Run:
    stack: str
    endpoint: str
    number: int
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int
    app_cores: float
    postgres_cores: float
    wrk_cores: float
    other_cores: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors


def run_wrk(
    config: Any,
    server: Server,
    endpoint: str,
    seconds: int,
    files: Any,
    number: int,
    wrk_argv: WrkArgv,
) -> Run:
    # Part of every Idempotency-Key: unique to this run, so no key is ever reused.
    run_id = f"{int(time.time())}{number}{os.getpid()}"
    argv = wrk_argv(config, server.port, endpoint, seconds, files, run_id)
    before_app, before_pg = server.cpu_ticks(), postgres_cpu_ticks()
    before_all = busy_cpu_seconds()
    before_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    finished = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    wall = time.monotonic() - started
    after_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = (busy_cpu_seconds() - before_all) / wall
    app = cpu_seconds_between(before_app, server.cpu_ticks()) / wall
    pg = cpu_seconds_between(before_pg, postgres_cpu_ticks()) / wall
    wrk_cpu = (
        after_wrk.ru_utime + after_wrk.ru_stime - before_wrk.ru_utime - before_wrk.ru_stime
    ) / wall
    match = re.search(r"^WRK_RESULT (\{.*\})$", finished.stdout, re.MULTILINE)
    if finished.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr}")
    result = json.loads(match.group(1))
    return Run(
        stack=server.name,
        endpoint=endpoint,
        number=number,
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        non2xx=result["non2xx"],
        socket_errors=sum(
            result[name] for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        app_cores=app,
        postgres_cores=pg,
        wrk_cores=wrk_cpu,
        other_cores=max(busy - app - pg - wrk_cpu, 0.0),
    )


def measure(
    config: Any,
    server: Server,
    endpoint: str,
    files: Any,
    wrk_argv: WrkArgv,
    numbers: Iterable[int] | None = None,
) -> list[Run]:
    """Warm up, then the measured runs (numbered 1 to `config.runs`, or `numbers`), one
    after another."""
    warm = run_wrk(config, server, endpoint, config.warmup, files, 0, wrk_argv)
    log(f"{server.name} {endpoint}: warm-up {warm.rate:,.0f} req/s, {warm.errors} errors")
    runs = []
    for number in numbers if numbers is not None else range(1, config.runs + 1):
        run = run_wrk(config, server, endpoint, config.duration, files, number, wrk_argv)
        log(
            f"{server.name} {endpoint} run {number}: {run.rate:,.0f} req/s, "
            f"p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms, non-2xx {run.non2xx}, "
            f"socket errors {run.socket_errors}, cores app {run.app_cores:.2f} "
            f"pg {run.postgres_cores:.2f} wrk {run.wrk_cores:.2f} other {run.other_cores:.2f}"
        )
        runs.append(run)
    return runs


def best(runs: list[Run], stack_prefix: str, endpoint: str) -> Run:
    candidates = [r for r in runs if r.stack.startswith(stack_prefix) and r.endpoint == endpoint]
    return max(candidates, key=lambda r: r.rate)


# Report --------------------------------------------------------------------------------


def shown(text: str, files: Any = None) -> str:
    """A command or path as printed in the report: relative to the repository."""
    text = text.replace(str(ROOT) + "/", "").replace(str(BIN) + "/", ".venv/bin/")
    if files is not None:
        text = text.replace(str(files.directory), "$DATA")
    return text


def server_command(server: Server) -> str:
    """How the report shows the command that started `server` (its port as PORT)."""
    command = f"{server.shown_env} {shown(' '.join(server.argv))}"
    return command.replace(f"--port {server.port}", "--port PORT")


def run_facts() -> dict[str, str]:
    """The machine, plus the operating system, Python and wrk versions."""
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        **machine_facts(),
        "os": _os_name(),
        "python": platform.python_version(),
        "wrk": (wrk_version.split()[1] if wrk_version.split()[1:] else "unknown"),
    }


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def package_versions() -> str:
    names = [
        "django",
        "django-ninja",
        "pydantic",
        "granian",
        "starlette",
        "uvicorn",
        "uvloop",
        "httptools",
        "psycopg",
        "psycopg-pool",
        "orjson",
    ]
    return ", ".join(f"{name} {version(name)}" for name in names)


def short_sql(sql: str) -> str:
    sql = " ".join(sql.split())
    sql = re.sub(r'"(\w+)"\."(\w+)"', r"\2", sql)
    return sql if len(sql) <= 160 else sql[:157] + "..."
