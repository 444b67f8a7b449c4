"""Django's PostgreSQL backend with a deadline on every wait for the server
(`deadlines.py`): statements, and the health check of a connection reused by a new
request. Settings: PASSAGE_DB_CALL_TIMEOUT (seconds)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base

from passage.postgresql.deadlines import WATCHDOG


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._within_deadline)
        # Made once: every statement hands the watchdog this, not a new function.
        self._fileno = self._socket

    def is_usable(self) -> bool:
        # A frozen server would hold the health check (a `SELECT 1`) forever.
        if self.connection is None:
            return False
        with WATCHDOG.deadline(_seconds(), self._fileno):
            usable: bool = super().is_usable()
        return usable

    def _within_deadline(
        self, execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any
    ) -> Any:
        with WATCHDOG.deadline(_seconds(), self._fileno):
            return execute(sql, params, many, context)

    def _socket(self) -> int | None:
        """The socket of the open connection, read when the watchdog needs it (the
        connection may have been replaced since the deadline was armed)."""
        try:
            return int(self.connection.pgconn.socket)
        except Exception:  # closed, or never opened: nothing to shut down
            return None


def _seconds() -> float:
    return float(settings.PASSAGE_DB_CALL_TIMEOUT)
