"""Runs an import check in a fresh interpreter, for the cores that must load without Django."""

import subprocess
import sys


def assert_script_passes_in_a_fresh_interpreter(script: str) -> None:
    """Run `script` with a new Python (so nothing is imported yet) and fail with its
    output when it does not exit cleanly."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
