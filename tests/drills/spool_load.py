"""A bounded load of API submissions for the intake spool's drill: a fixed number of
clients send a fixed number of applications between them, each with its own
Idempotency-Key. An application counts as acknowledged when it is answered 201 (a case)
or 202 (a receipt); after a 503, or no answer at all, the client sends the same request
again. Every answer is kept."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count

from tests.builders import api_application
from tests.drills.client import TIMEOUT, Answer, post_json
from tests.drills.site import Applicant

RETRY_WAIT = 0.2
GIVE_UP_AFTER = 60.0  # seconds on one application


@dataclass(frozen=True)
class Acknowledged:
    """An application the site acknowledged: with its case reference (201), or with a
    receipt and the time received (202)."""

    submitter: str
    key: str
    status: int
    reference: str | None = None
    receipt: str | None = None
    received_at: str | None = None


class BoundedLoad:
    """`total` applications sent by one client per applicant, as fast as answered, or
    with `pace` seconds between one client's applications."""

    def __init__(
        self, port: int, applicants: list[Applicant], total: int, pace: float = 0.0
    ) -> None:
        self.port, self.applicants, self.total, self.pace = port, applicants, total, pace
        self.answers: list[Answer] = []
        self.acknowledged: list[Acknowledged] = []
        self.given_up: list[str] = []
        self._numbers = count()
        self._lock = threading.Lock()

    @property
    def progress(self) -> int:
        """How many applications were acknowledged so far."""
        with self._lock:
            return len(self.acknowledged)

    @contextmanager
    def running(self) -> Iterator["BoundedLoad"]:
        """The clients, sending until `total` applications were taken; the block's end
        waits for them to finish."""
        clients = [
            threading.Thread(target=self._client, args=(applicant,), daemon=True)
            for applicant in self.applicants
        ]
        for client in clients:
            client.start()
        try:
            yield self
        finally:
            for client in clients:
                client.join(timeout=GIVE_UP_AFTER + TIMEOUT)

    def _client(self, applicant: Applicant) -> None:
        while (number := next(self._numbers)) < self.total:
            self._submit(applicant, f"spool-{number}")
            time.sleep(self.pace)

    def _submit(self, applicant: Applicant, key: str) -> None:
        body = api_application(family_name=key)
        headers = {**applicant.authorization, "Idempotency-Key": key}
        give_up_at = time.monotonic() + GIVE_UP_AFTER
        while time.monotonic() < give_up_at:
            answer = post_json(self.port, "/api/v1/applications", body, headers=headers)
            with self._lock:
                self.answers.append(answer)
            if answer.status in (201, 202):
                self._acknowledge(applicant.username, key, answer)
                return
            if answer.status not in (503, None):
                break  # an answer no retry would change; the drill reports it
            time.sleep(RETRY_WAIT)
        with self._lock:
            self.given_up.append(key)

    def _acknowledge(self, submitter: str, key: str, answer: Answer) -> None:
        body = answer.json()
        acknowledged = Acknowledged(
            submitter,
            key,
            answer.status or 0,
            reference=body.get("reference"),
            receipt=body.get("receipt"),
            received_at=body.get("received_at"),
        )
        with self._lock:
            self.acknowledged.append(acknowledged)
