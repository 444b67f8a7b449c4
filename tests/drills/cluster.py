"""A private PostgreSQL cluster for the drills: made with initdb in a temporary folder,
listening on a free port of the loopback with trust authentication, and stopped,
restarted, frozen and thawed at will. It never touches any other PostgreSQL server.

As root, PostgreSQL's own programs run as the `postgres` account (the server refuses to
run as root); as anyone else, as that user."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

HOST = "127.0.0.1"
SUPERUSER = "postgres"
# Debian and Ubuntu keep each major version's programs apart, off the PATH.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def binaries() -> Path:
    """The folder of initdb and pg_ctl: the newest Debian version, or the PATH's."""
    versions = sorted(
        (Path(folder) for folder in glob.glob(DEBIAN_BINARIES)),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    for folder in reversed(versions):
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("pg_ctl")
    if found is None:
        raise RuntimeError("The drills need PostgreSQL's initdb and pg_ctl; none was found.")
    return Path(found).parent


class Cluster:
    """One PostgreSQL cluster of our own, in `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.log = root / "postgresql.log"
        self.port = free_port()
        self.bin = binaries()

    @classmethod
    @contextmanager
    def running(cls) -> Iterator["Cluster"]:
        """A new cluster, started; stopped and removed afterwards, whatever happened."""
        root = Path(tempfile.mkdtemp(prefix="passage-drill-postgresql-"))
        cluster = cls(root)
        try:
            if os.geteuid() == 0:
                shutil.chown(root, SUPERUSER)
            cluster.initdb()
            cluster.start()
            yield cluster
        finally:
            cluster.destroy()

    def initdb(self) -> None:
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--auth",
            "trust",
            "--username",
            SUPERUSER,
            "--encoding",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        self._pg_ctl("start", "--log", str(self.log), "--options", self._server_options())

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("stop", "--mode", mode)

    def restart(self) -> None:
        self._pg_ctl(
            "restart", "--mode", "fast", "--log", str(self.log), "--options", self._server_options()
        )

    def is_running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def postmaster_pid(self) -> int:
        # The first line of postmaster.pid, which `pg_ctl status` reports too.
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def processes(self) -> list[int]:
        """The postmaster, then every process it started (its backends included)."""
        postmaster = self.postmaster_pid()
        children = subprocess.run(  # noqa: S603 - a pid we read
            ["pgrep", "-P", str(postmaster)],  # noqa: S607 - procps, on every Linux
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Within the block the server is frozen (SIGSTOP): connections open and the
        kernel still accepts new ones, but nothing answers. Thawed afterwards, always."""
        try:
            # The postmaster first, so that it starts no process we would miss.
            os.kill(self.postmaster_pid(), signal.SIGSTOP)
            for pid in self.processes()[1:]:
                os.kill(pid, signal.SIGSTOP)
            yield
        finally:
            self.thaw()

    def thaw(self) -> None:
        try:
            pids = self.processes()
        except (OSError, ValueError):
            return  # not running: nothing is frozen
        for pid in reversed(pids):
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                continue

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=HOST,
            port=self.port,
            user=SUPERUSER,
            dbname=database,
            autocommit=True,
            connect_timeout=5,
        )

    def query(self, database: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connect(database) as connection:
            return connection.execute(sql, params).fetchall()

    def execute(self, sql: str) -> None:
        with self.connect() as connection:
            connection.execute(sql)

    def destroy(self) -> None:
        if self.data.exists():
            self.thaw()
            if self.is_running():
                self._pg_ctl("stop", "--mode", "immediate", check=False)
            if self.is_running():  # the postmaster's children end with it
                os.kill(self.postmaster_pid(), signal.SIGKILL)
        shutil.rmtree(self.root, ignore_errors=True)

    def _server_options(self) -> str:
        # fsync off: nothing here must outlive the machine, and the drills go faster.
        return f"-c listen_addresses={HOST} -p {self.port} -k {self.root} -c fsync=off"

    def _pg_ctl(
        self, action: str, *options: str, check: bool = True
    ) -> "subprocess.CompletedProcess[str]":
        return self._run(
            "pg_ctl",
            action,
            "--pgdata",
            str(self.data),
            "--wait",
            "--timeout",
            "30",
            *options,
            check=check,
        )

    def _run(
        self, program: str, *arguments: str, check: bool = True
    ) -> "subprocess.CompletedProcess[str]":
        command = [str(self.bin / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(  # noqa: S603 - PostgreSQL's own programs, our arguments
            command, capture_output=True, text=True, timeout=60, check=False
        )
        if check and result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{program} {' '.join(arguments[:1])} failed: {result.stderr.strip()}\n{log}"
            )
        return result
