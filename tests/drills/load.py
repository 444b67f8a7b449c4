"""Clients submitting applications through the API one after another, as an app does:
every try of one application carries the same Idempotency-Key and body; after a 503, or
no answer at all, the client waits as Retry-After says (capped, for the drill's sake) and
sends the same request again, until it is acknowledged. Every try is kept."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.builders import api_application
from tests.drills.client import TIMEOUT, Answer, post_json
from tests.drills.site import Applicant

RETRY_CAP = 1.0
NO_ANSWER_WAIT = 0.2
GIVE_UP_AFTER = 30.0  # seconds on one application


@dataclass(frozen=True)
class Try:
    submitter: str
    key: str
    answer: Answer


class SubmissionLoad:
    def __init__(self, port: int, applicants: list[Applicant]) -> None:
        self.port = port
        self.applicants = applicants
        self.tries: list[Try] = []
        self.acknowledged: dict[tuple[str, str], str] = {}
        self.given_up: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()

    @contextmanager
    def running(self) -> Iterator["SubmissionLoad"]:
        """One client per applicant, submitting until the block ends; each then finishes
        the application it is on."""
        clients = [
            threading.Thread(target=self._client, args=(number, applicant), daemon=True)
            for number, applicant in enumerate(self.applicants)
        ]
        for client in clients:
            client.start()
        try:
            yield self
        finally:
            self._stop.set()
            for client in clients:
                client.join(timeout=GIVE_UP_AFTER + TIMEOUT)

    def _client(self, number: int, applicant: Applicant) -> None:
        sequence = 0
        while not self._stop.is_set():
            self._submit(applicant, f"load-{number}-{sequence}")
            sequence += 1

    def _submit(self, applicant: Applicant, key: str) -> None:
        body = api_application(family_name=key)
        headers = {**applicant.authorization, "Idempotency-Key": key}
        give_up_at = time.monotonic() + GIVE_UP_AFTER
        while time.monotonic() < give_up_at:
            answer = post_json(self.port, "/api/v1/applications", body, headers=headers)
            with self._lock:
                self.tries.append(Try(applicant.username, key, answer))
            if answer.status in (200, 201):
                with self._lock:
                    self.acknowledged[applicant.username, key] = answer.json()["reference"]
                return
            if answer.status == 503:
                time.sleep(min(float(answer.retry_after or RETRY_CAP), RETRY_CAP))
            elif answer.status is None:
                time.sleep(NO_ANSWER_WAIT)
            else:
                return  # an answer no retry would change; the drill reports it
        with self._lock:
            self.given_up.append((applicant.username, key))
