"""The public status page asked again and again through a drill, as clients and partners
would during an outage: every answer kept, to show it answered throughout."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.drills.client import Answer, get

EVERY = 0.2  # seconds between two requests


class StatusPoll:
    """Asks for `/en/status/` on `port` in a thread of its own while running."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.answers: list[Answer] = []
        self._stop = threading.Event()

    @contextmanager
    def running(self) -> Iterator["StatusPoll"]:
        thread = threading.Thread(target=self._poll, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=10)

    def _poll(self) -> None:
        while not self._stop.wait(EVERY):
            self.answers.append(get(self.port, "/en/status/"))

    @property
    def failures(self) -> list[Answer]:
        """The answers that were not the page: anything but a 200."""
        return [answer for answer in self.answers if answer.status != 200]

    @property
    def from_copy(self) -> int:
        """How many answers came from the static copy (the database was down)."""
        return sum(1 for answer in self.answers if answer.headers.get("x-status-copy") == "true")
