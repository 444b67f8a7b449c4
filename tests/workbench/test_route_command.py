"""`passage route` from the command line."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import OperationalError

from passage.workbench import tasks
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = pytest.mark.django_db


def test_route_assigns_open_files_and_says_how_many(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    ready_case()
    ready_case()
    create_skilled_officer(capacity=1)
    out = io.StringIO()

    call_command("route", stdout=out)

    assert "2 open files, 1 assigned, 1 left in the shared queue" in out.getvalue()


def test_the_scheduler_outlives_a_database_outage_and_queues_again_after_it(monkeypatch):
    tries: list[int] = []
    queued: list[int] = []
    waits: list[float] = []

    def enqueue():
        tries.append(1)
        if len(tries) <= 2:
            raise OperationalError("server closed the connection unexpectedly")
        queued.append(1)

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(tries) >= 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(tasks, "route_open_cases", SimpleNamespace(enqueue=enqueue))
    monkeypatch.setattr("passage.resilience.drop_connections", lambda: None)
    monkeypatch.setattr("passage.resilience.time.sleep", sleep)

    call_command("route", "--every", "300", stdout=io.StringIO())

    assert len(tries) == 4
    assert len(queued) == 2
    # Two short waits through the outage, then back to the schedule.
    assert waits[0] < 1.5
    assert 1.5 < waits[1] < 2.5
    assert waits[2:] == [300, 300]
