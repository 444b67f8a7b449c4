"""A drill's own Passage: its database in the private cluster, its settings as in
production (debug off, a real secret key, short deadlines on the database), and the
processes under test (the granian web server, `passage task_worker`) started as they
are deployed, each in a process group of its own so that it can be ended whatever
happened."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tests.drills.client import get
from tests.drills.cluster import HOST, Cluster, free_port

REPOSITORY = Path(__file__).resolve().parents[2]
# The virtual environment's scripts (passage, granian) sit beside its Python.
SCRIPTS = Path(sys.executable).parent

# Seconds. libpq takes no connect timeout below 2 s.
CONNECT_TIMEOUT = 2
CALL_TIMEOUT = 2.0
STATEMENT_TIMEOUT = 1.5
RETRY_AFTER = 1


@dataclass(frozen=True)
class Applicant:
    """An applicant of the site and their API token."""

    username: str
    token: str

    @property
    def authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Site:
    cluster: Cluster
    database: str
    var: Path
    secret_key: str
    audit_keys: str

    def __post_init__(self) -> None:
        # WhiteNoise serves from var/static; an absent folder only earns a warning a request.
        (self.var / "static").mkdir(parents=True, exist_ok=True)

    def copy(self, database: str, var: Path) -> "Site":
        """The same site on another database, with its own var folder."""
        return replace(self, database=database, var=var)

    def environment(self, **overrides: str) -> dict[str, str]:
        """The environment of every process of the site: the test run's own Passage
        settings left out, production's set."""
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("PASSAGE_") and name != "DATABASE_URL"
        }
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "passage.settings",
            "DATABASE_URL": self.cluster.url(self.database),
            "PASSAGE_DEBUG": "0",
            "PASSAGE_SECRET_KEY": self.secret_key,
            "PASSAGE_AUDIT_KEYS": self.audit_keys,
            "PASSAGE_ALLOWED_HOSTS": HOST,
            "PASSAGE_VAR_DIR": str(self.var),
            "PASSAGE_MEDIA_ROOT": str(self.var / "media"),
            "PASSAGE_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "PASSAGE_DB_CALL_TIMEOUT": str(CALL_TIMEOUT),
            "PASSAGE_DB_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
            "PASSAGE_RETRY_AFTER_SECONDS": str(RETRY_AFTER),
            # The limits stay on, as in production (they count in the database too), set
            # high enough that a few drill clients on one address never meet them.
            "PASSAGE_RATE_WRITES_PER_MINUTE": "100000",
            "PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE": "100000",
            # Outages are answered 503, unless a drill turns the intake spool on.
            "PASSAGE_SPOOL": "off",
            **overrides,
        }

    def passage(self, *arguments: str, **overrides: str) -> str:
        """Run a `passage` command to its end; its output."""
        return self._run([str(SCRIPTS / "passage"), *arguments], overrides)

    def seed(self, *arguments: str) -> Any:
        """Run tests.drills.seed in the site; what it printed, as JSON."""
        output = self._run([sys.executable, "-m", "tests.drills.seed", *arguments], {})
        return json.loads(output)

    def _run(self, command: list[str], overrides: dict[str, str]) -> str:
        result = subprocess.run(  # noqa: S603 - our own programs
            command,
            cwd=REPOSITORY,
            env=self.environment(**overrides),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command[-2:]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    @contextmanager
    def web(self, **overrides: str) -> Iterator["Web"]:
        """granian serving passage.wsgi:application as docs/operations.md deploys it, on
        a free port; stopped afterwards."""
        port = free_port()
        command = [
            str(SCRIPTS / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            "2",
            "--blocking-threads",
            "1",
            "--host",
            HOST,
            "--port",
            str(port),
            "passage.wsgi:application",
        ]
        with self.process(command, "granian", **overrides) as process:
            web = Web(port=port, process=process)
            web.wait_until_serving()
            yield web

    @contextmanager
    def worker(self, worker_id: str, **overrides: str) -> Iterator[subprocess.Popen[bytes]]:
        """`passage task_worker`, as deployed, looking for jobs every tenth of a second."""
        command = [
            str(SCRIPTS / "passage"),
            "task_worker",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
        ]
        with self.process(command, worker_id, **overrides) as process:
            yield process

    @contextmanager
    def process(
        self, command: list[str], name: str, **overrides: str
    ) -> Iterator[subprocess.Popen[bytes]]:
        """A long-running process of the site, its output in var/NAME.log; ended with
        its whole process group afterwards (SIGTERM, then SIGKILL)."""
        log = (self.var / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own programs
            command,
            cwd=REPOSITORY,
            env=self.environment(**overrides),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            end(process)
            log.close()


def end(process: subprocess.Popen[bytes], *, how: int = signal.SIGTERM) -> None:
    """End a process we started (SIGKILL if `how` has not ended it within 10 s), and
    whatever is left of its process group."""
    if process.returncode is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, how)
    if not exited(process, within=10):
        os.killpg(process.pid, signal.SIGKILL)
        exited(process, within=10)
    # Not reaped yet, the leader still holds its group's id: no other process can have it.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def exited(process: subprocess.Popen[bytes], *, within: float) -> bool:
    """Whether the process exited within `within` seconds, leaving it to be reaped."""
    deadline = time.monotonic() + within
    while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


@dataclass
class Web:
    port: int
    process: subprocess.Popen[bytes]

    def wait_until_serving(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("granian exited at start; see its log in the site's var")
            if get(self.port, "/").status is not None:
                return
            time.sleep(0.1)
        raise RuntimeError(f"granian did not answer within {seconds} s")
