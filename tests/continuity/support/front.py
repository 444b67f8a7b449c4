"""The web server's fallback, for real: nginx started with deploy/nginx.conf (its two
addresses set to this test's) in front of a Passage of the test's own that the test can
stop, as a deployment's application server stops. scripts/ensure-nginx installs nginx."""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

REPOSITORY = Path(__file__).resolve().parents[3]
SITE = REPOSITORY / "deploy" / "nginx.conf"
HOST = "127.0.0.1"
# What deploy/nginx.conf says for a deployment, and what a test puts in its place.
UPSTREAM = "server 127.0.0.1:8000;"
STATUS_DIR = "/srv/passage/var/status"
LISTEN = "listen 80;"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class Application:
    """Passage served over HTTP in a thread of this process, until `stop()`."""

    def __init__(self) -> None:
        self.thread = LiveServerThread(HOST, StaticFilesHandler, port=0)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.port = self.thread.port
        self.running = True

    def stop(self) -> None:
        """Stop answering: the port is closed, as when the application server is down."""
        if self.running:
            self.thread.terminate()
            self.running = False


@contextmanager
def application() -> Iterator[Application]:
    app = Application()
    try:
        yield app
    finally:
        app.stop()


def site_configuration(upstream_port: int, status_dir: Path, port: int) -> str:
    """deploy/nginx.conf with this test's addresses in place of a deployment's."""
    site = SITE.read_text()
    for placeholder in (UPSTREAM, STATUS_DIR, LISTEN):
        assert placeholder in site, f"deploy/nginx.conf no longer says {placeholder!r}"
    return (
        site.replace(UPSTREAM, f"server {HOST}:{upstream_port};")
        .replace(STATUS_DIR, str(status_dir))
        .replace(LISTEN, f"listen {HOST}:{port};")
    )


def main_configuration(site: str, folder: Path) -> str:
    """A whole nginx configuration around the site, with every path in `folder`."""
    temporary = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temporary.values():
        path.mkdir(parents=True, exist_ok=True)
    # Started as root, nginx's workers would run as nobody, who cannot read the test's
    # private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temporary["body"]};
    proxy_temp_path {temporary["proxy"]};
    fastcgi_temp_path {temporary["fastcgi"]};
    uwsgi_temp_path {temporary["uwsgi"]};
    scgi_temp_path {temporary["scgi"]};
{site}
}}
"""


@contextmanager
def nginx(upstream_port: int, status_dir: Path, folder: Path) -> Iterator[str]:
    """nginx running deploy/nginx.conf in front of `upstream_port`; yields its address."""
    binary = nginx_binary()
    assert binary is not None, "nginx is missing: scripts/ensure-nginx installs it"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    configuration = folder / "nginx.conf"
    configuration.write_text(
        main_configuration(site_configuration(upstream_port, status_dir, port), folder)
    )
    check = subprocess.run(  # noqa: S603 - nginx on a configuration of our own
        [binary, "-t", "-c", str(configuration), "-p", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(  # noqa: S603 - nginx on a configuration of our own
        [binary, "-c", str(configuration), "-p", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until_listening(port, process)
        yield f"http://{HOST}:{port}"
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(f"nginx exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("nginx did not start listening")
