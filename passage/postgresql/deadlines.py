"""A deadline on every wait for PostgreSQL, kept by one watchdog thread per process.

The server cancels a slow statement itself (statement_timeout), and libpq gives up on a
connection that does not open (connect_timeout). Neither helps when the server stops
answering altogether (a frozen host, a paused container, a partition where the kernel
still acknowledges): a request then waits forever, holding its worker. So each call that
waits on the server (a statement, the health check of a reused connection) is armed with
a deadline; past it, the watchdog shuts the connection's socket down, the wait ends with
an error at once, and the request is answered 503 (passage.web.unavailable).
"""

import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Watchdog:
    """Shuts down the socket of a call that waits past its deadline."""

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, Callable[[], int | None]]] = {}
        self._tokens = itertools.count()
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        # When the watchdog wakes next: a deadline after that needs no wake-up call (each
        # one is as long as the last, so almost none does).
        self._wakes_at = 0.0
        self.fired = 0

    @contextmanager
    def deadline(self, seconds: float, fileno: Callable[[], int | None]) -> Iterator[None]:
        """Arm a deadline of `seconds` for the block; `fileno` gives the socket to shut
        down should it pass (read when it does, since a connection may reconnect)."""
        token = next(self._tokens)
        at = time.monotonic() + seconds
        with self._lock:
            self._armed[token] = (at, fileno)
            self._start()
            if at < self._wakes_at:
                self._lock.notify()
        try:
            yield
        finally:
            with self._lock:
                self._armed.pop(token, None)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._watch, name="passage-db-deadlines", daemon=True
            )
            self._thread.start()

    def _watch(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                due = [token for token, (at, _) in self._armed.items() if at <= now]
                expired = [self._armed.pop(token)[1] for token in due]
                if not expired:
                    wait = min((at - now for at, _ in self._armed.values()), default=60.0)
                    self._wakes_at = now + wait
                    self._lock.wait(timeout=wait)
                    self._wakes_at = 0.0
            for fileno in expired:
                self.fired += 1
                _shut_down(fileno())


def _shut_down(fd: int | None) -> None:
    """Shut the socket down (every descriptor of it), without closing the caller's."""
    if fd is None or fd < 0:
        return
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side
    finally:
        duplicate.close()


WATCHDOG = Watchdog()
