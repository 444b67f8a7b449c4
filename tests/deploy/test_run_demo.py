"""scripts/run-demo, the demo of `make run`: it runs with debug off, as a deployment does
(people see Passage's error pages, never Django's debug pages), yet its cookies work over
plain HTTP on this machine and its demo data loads. Read from the script, without
starting anything."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.test_security_headers import settings_under

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "run-demo"
# The last line of the script's environment part.
LAST_EXPORT = "export DJANGO_SETTINGS_MODULE=passage.settings"


def demo_environment(tmp_path: Path) -> dict[str, str]:
    """The PASSAGE_ variables the script's environment part exports, run by bash in an
    environment that sets none of its own."""
    lines = SCRIPT.read_text().splitlines()
    assert LAST_EXPORT in lines, "run-demo no longer ends its environment part as expected"
    part = tmp_path / "run-demo-environment"
    part.write_text("\n".join([*lines[: lines.index(LAST_EXPORT) + 1], "env -0", ""]))
    clean = {name: value for name, value in os.environ.items() if not name.startswith("PASSAGE_")}
    bash = shutil.which("bash")
    assert bash is not None
    output = subprocess.run(  # noqa: S603 (bash on a part of our own script)
        [bash, str(part)], env=clean, capture_output=True, check=True, timeout=30
    ).stdout.decode()
    pairs = (entry.split("=", 1) for entry in output.split("\0") if "=" in entry)
    return {name: value for name, value in pairs if name.startswith("PASSAGE_")}


def test_the_demo_runs_with_debug_off_and_cookies_that_work_over_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = demo_environment(tmp_path)

    values = settings_under(monkeypatch, **environment)

    assert environment["PASSAGE_DEBUG"] == "0"
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert "127.0.0.1" in values["ALLOWED_HOSTS"]


def test_the_demo_loads_its_data_although_debug_is_off() -> None:
    loads = [line for line in SCRIPT.read_text().splitlines() if "passage load_demo" in line]

    assert loads, "run-demo no longer loads the demo data"
    assert all("passage load_demo --force" in line for line in loads)


def test_the_demo_prints_emails_readably_in_its_terminal(tmp_path: Path) -> None:
    environment = demo_environment(tmp_path)

    assert environment["PASSAGE_EMAIL_BACKEND"] == "passage.outbox.console.ReadableConsoleBackend"


def test_the_demo_prints_its_sign_ins_once() -> None:
    script = SCRIPT.read_text()

    # Once the load's own summary is printed without them; then at the end, with the address.
    assert "sed '/^Demo sign-ins/,$d'" in script
    assert script.count("sed -n '/^Demo sign-ins/,$p'") == 1
