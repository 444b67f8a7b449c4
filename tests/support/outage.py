"""A database that stops answering, for tests: every statement, from any thread, fails as
it fails when the server has gone (the drills in tests/drills/ stop a real one)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends import utils

GONE = "server closed the connection unexpectedly"


@contextmanager
def database_down(error: Exception | None = None) -> Iterator[None]:
    """Within the block, every statement on every connection fails (with `error`, by
    default the one of a server that has gone)."""

    def fail(*args: Any, **kwargs: Any) -> None:
        raise error or OperationalError(GONE)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "_execute", fail)
        patch.setattr(utils.CursorWrapper, "_executemany", fail)
        yield
