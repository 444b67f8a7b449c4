"""deploy/supervisord.conf: every long-running process restarts whenever it dies, and
stops with all its children. The drill runs the real thing: supervisord, granian and the
workers on a SQLite database of its own."""

import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ClientOptions, ServerOptions

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "supervisord.conf"
BIN = ROOT / ".venv" / "bin"
PROGRAMS = {
    "web",
    "tasks",
    "routing",
    "email",
    "mail",
    "mail-reader",
    "audit",
    "probes",
    "spool",
    "relief",
}


def config_environment(run_dir: Path, port: int) -> dict[str, str]:
    """The variables the config reads."""
    return {
        "PASSAGE_HOME": str(ROOT),
        "PASSAGE_RUN_DIR": str(run_dir),
        "PASSAGE_HOST": "127.0.0.1",
        "PASSAGE_PORT": str(port),
        "PASSAGE_WEB_WORKERS": "1",
        "PASSAGE_WEB_THREADS": "2",
    }


@pytest.fixture
def configured(tmp_path, monkeypatch) -> Path:
    """The config's variables set, with the run folder in `tmp_path`."""
    for name, value in config_environment(tmp_path, 8000).items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_every_program_restarts_whenever_it_exits_and_stops_with_its_process_group(
    configured,
):
    options = ServerOptions()
    options.realize(args=["-c", str(CONFIG)])

    programs = {
        program.name: program
        for group in options.process_group_configs
        for program in group.process_configs
    }

    assert set(programs) == PROGRAMS
    for program in programs.values():
        binary = shlex.split(program.command)[0]
        assert binary.startswith(f"{BIN}/"), program.name
        assert Path(binary).exists(), program.name
        assert program.directory == str(ROOT)
        assert program.autostart
        assert program.autorestart is RestartUnconditionally
        assert program.startretries >= 10
        assert program.stopasgroup
        assert program.killasgroup
        assert (program.stdout_logfile, program.stdout_logfile_maxbytes) == ("/dev/stdout", 0)
        assert program.redirect_stderr
    web = shlex.split(programs["web"].command)
    assert web[-1] == "passage.wsgi:application"
    assert "--respawn-failed-workers" in web
    assert web[web.index("--port") + 1] == "8000"


def test_supervisorctl_finds_supervisord_on_the_socket_in_the_run_folder(configured):
    server = ServerOptions()
    server.realize(args=["-c", str(CONFIG)])
    client = ClientOptions()
    client.realize(args=["-c", str(CONFIG)])

    assert server.nodaemon
    assert server.pidfile == str(configured / "supervisord.pid")
    (socket_server,) = server.server_configs
    assert socket_server["file"] == str(configured / "supervisor.sock")
    assert client.serverurl == f"unix://{configured / 'supervisor.sock'}"


# The drill.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.2)


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@dataclass
class Supervised:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    url: str

    def status(self) -> dict[str, tuple[str, int | None]]:
        """Each program's state and pid, as `supervisorctl status` shows them."""
        shown = subprocess.run(  # noqa: S603 - our own programs
            [BIN / "supervisorctl", "-c", CONFIG, "status"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
        programs = {}
        for line in shown.splitlines():
            name, state = [*line.split(), "", ""][:2]
            pid = re.search(r"pid (\d+),", line)
            programs[name] = (state, int(pid[1]) if pid else None)
        return programs

    def all_running(self) -> bool:
        status = self.status()
        return set(status) == PROGRAMS and all(state == "RUNNING" for state, _ in status.values())

    def web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/en/", timeout=2) as answer:  # noqa: S310
                return answer.status == 200
        except OSError:
            return False


@pytest.fixture
def supervised(tmp_path, tmp_path_factory) -> Iterator[Supervised]:
    # A socket's path must stay short (about 100 bytes): the run folder is not under the
    # test's own, longer one.
    run_dir = tmp_path_factory.mktemp("run")
    port = free_port()
    var_dir = tmp_path / "var"
    (var_dir / "static").mkdir(parents=True)  # WhiteNoise warns on each request without it
    # The processes keep their data in a folder and a SQLite database of their own,
    # whatever database and Passage settings the test run uses.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PASSAGE_") and name != "DATABASE_URL"
    }
    env = {
        **inherited,
        **config_environment(run_dir, port),
        "PASSAGE_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'passage.sqlite3'}",
        # The client email receiver listens on a port of its own too.
        "PASSAGE_MAIL_PORT": str(free_port()),
    }
    for command in (["migrate", "--no-input", "-v", "0"], ["audit", "keygen", "--if-missing"]):
        subprocess.run(  # noqa: S603 - our own programs
            [BIN / "passage", *command], env=env, cwd=ROOT, check=True, timeout=60
        )
    log = tmp_path / "supervisord.log"
    # Appending, as the programs write to the same file through /dev/stdout.
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - our own programs
            [BIN / "supervisord", "-c", CONFIG],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Supervised(process, env, f"http://127.0.0.1:{port}")
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=90)
        print(log.read_text(errors="replace"))  # pytest shows it when the drill fails


@pytest.mark.drill
def test_drill_supervisord_brings_back_killed_workers_and_stops_every_process(supervised):
    wait_until(supervised.web_answers, seconds=20, what="the web server answers")
    wait_until(supervised.all_running, seconds=10, what="all five programs are running")
    before = supervised.status()

    for name in ("tasks", "routing"):
        os.kill(before[name][1], signal.SIGKILL)

    def both_back() -> bool:
        now = supervised.status()
        return all(
            now[name][0] == "RUNNING" and now[name][1] not in (None, before[name][1])
            for name in ("tasks", "routing")
        )

    wait_until(both_back, seconds=10, what="tasks and routing run again under new pids")
    after = supervised.status()
    assert supervised.all_running()
    assert supervised.web_answers()
    # Each program leads a process group of its own (granian's workers are in the web's).
    groups = {pid for _, pid in [*before.values(), *after.values()] if pid}

    supervised.process.send_signal(signal.SIGTERM)
    assert supervised.process.wait(timeout=90) == 0

    assert [pgid for pgid in sorted(groups) if not group_is_gone(pgid)] == []
    assert not supervised.web_answers()
