"""The task worker outlives the database: a pass that meets a database error ends, the
worker waits and goes on; a job cut short by the database is not marked failed, and comes
back after its lease."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from passage import clock
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.jobs import services
from passage.jobs.worker import ResilientWorker
from passage.triage import services as triage
from tests.builders import submit_case

# The worker closes and reopens connections between jobs, as in production: no test
# transaction can wrap it.
pytestmark = pytest.mark.django_db(transaction=True)


def worker(**overrides) -> ResilientWorker:
    options = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return ResilientWorker(**{**options, **overrides})


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch, settings):
    monkeypatch.setattr("passage.jobs.worker.time.sleep", lambda seconds: None)
    monkeypatch.setattr("passage.jobs.worker.threading.Thread.start", lambda self: None)
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def test_the_worker_triages_submitted_files():
    case = submit_case()

    worker().run()

    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_database_error_ends_a_pass_not_the_worker(monkeypatch):
    case = submit_case()
    real = ResilientWorker._one_job
    failures = iter([OperationalError("the server closed the connection")] * 3)

    def flaky(self):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(self)

    monkeypatch.setattr(ResilientWorker, "_one_job", flaky)

    worker().run()

    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_a_job_cut_short_by_the_database_is_not_failed_and_comes_back(monkeypatch, settings):
    case = submit_case()
    real = triage.triage_case
    calls = []

    def cut_short(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(**kwargs)

    monkeypatch.setattr(triage, "triage_case", cut_short)
    settings.PASSAGE_WORKER_LEASE_SECONDS = 60

    worker(max_tasks=1).run()

    job = DBTaskResult.objects.get()
    assert job.status == "RUNNING"
    later = clock.now() + timedelta(seconds=120)
    assert services.requeue_abandoned_jobs(now=later) == 1
    worker().run()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    assert len(calls) == 2
