"""The WSGI entry point, loaded as a server's worker loads it (in its own process)."""

import subprocess
import sys

PROBE = """
import gc, sys
from passage.wsgi import application
print(callable(application), "passage.tracker.views" in sys.modules, gc.get_freeze_count() > 10_000)
"""


def test_a_worker_starts_with_the_views_loaded_and_the_framework_out_of_the_collectors_way():
    result = subprocess.run(  # noqa: S603 (this interpreter, a constant script)
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )

    assert result.stdout.split() == ["True", "True", "True"]
