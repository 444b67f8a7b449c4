"""The task worker outlives the database: a pass that meets a database error ends, the
worker waits and goes on; a job cut short by the database is not marked failed, and the
worker runs it again once the database is back; a job whose worker died comes back after
its lease."""

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


def test_a_job_cut_short_by_the_database_is_not_failed_and_runs_again_once_it_is_back(
    monkeypatch,
):
    case = submit_case()
    real = triage.triage_case
    calls = []

    def cut_short(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real(**kwargs)

    monkeypatch.setattr(triage, "triage_case", cut_short)

    worker().run()

    # The worker was alive all along, so no lease ran out: it put the job back itself.
    assert len(calls) == 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_a_job_left_running_by_a_worker_that_died_comes_back_after_the_lease(settings):
    case = submit_case()
    job = DBTaskResult.objects.get()
    job.claim("killed-worker")
    settings.PASSAGE_WORKER_LEASE_SECONDS = 60

    worker().run()

    assert DBTaskResult.objects.get().status == "RUNNING"  # the lease still runs
    later = clock.now() + timedelta(seconds=120)
    assert services.requeue_abandoned_jobs(now=later) == 1
    worker().run()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW


def test_only_the_jobs_a_worker_still_holds_are_put_back():
    mine, taken_over, finished = (submit_case() for _ in range(3))
    jobs = {job.args_kwargs["args"][0]: job for job in DBTaskResult.objects.all()}
    for case in (mine, taken_over, finished):
        jobs[str(case.public_id)].claim("test-worker")
    jobs[str(taken_over.public_id)].claim("another-worker")
    DBTaskResult.objects.filter(pk=jobs[str(finished.public_id)].pk).update(status="SUCCESSFUL")

    put_back = services.requeue_held_jobs(
        job_ids=[job.pk for job in jobs.values()], worker_id="test-worker"
    )

    assert put_back == 1
    assert DBTaskResult.objects.get(status="READY").pk == jobs[str(mine.public_id)].pk
