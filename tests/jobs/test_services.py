"""The task workers' upkeep: abandoned jobs queued again after their lease, submitted
files that no job will reach queued for triage, and a supervisor's retry of a failed job."""

import uuid
from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from passage import clock
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.jobs import services
from passage.jobs.models import WorkerHeartbeat
from passage.triage.tasks import triage_submitted_case
from tests.builders import create_user, submit_case

pytestmark = pytest.mark.django_db

LEASE = 60


@pytest.fixture(autouse=True)
def _sweep_settings(settings):
    settings.PASSAGE_WORKER_LEASE_SECONDS = LEASE
    settings.PASSAGE_TRIAGE_SWEEP_AFTER_SECONDS = 120
    settings.PASSAGE_TRIAGE_MAX_ATTEMPTS = 3


def running_job(worker_id: str, started_ago: float):
    """A triage job claimed by `worker_id` that many seconds ago."""
    result = triage_submitted_case.enqueue(str(uuid.uuid4()))
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker_id)
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=clock.now() - timedelta(seconds=started_ago)
    )
    return job


def alive(worker_id: str, seen_ago: float = 0) -> None:
    now = clock.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, started_at=now, seen_at=now - timedelta(seconds=seen_ago)
    )


def status_of(job) -> str:
    return DBTaskResult.objects.values_list("status", flat=True).get(pk=job.pk)


def test_a_job_whose_worker_went_quiet_is_queued_again_after_the_lease():
    alive("killed", seen_ago=LEASE + 5)
    abandoned = running_job("killed", started_ago=LEASE + 30)

    assert services.requeue_abandoned_jobs(now=clock.now()) == 1
    assert status_of(abandoned) == "READY"


def test_a_long_job_of_a_live_worker_and_a_fresh_job_stay_with_their_worker():
    alive("busy")
    long_running = running_job("busy", started_ago=LEASE * 10)
    fresh = running_job("unknown", started_ago=1)

    assert services.requeue_abandoned_jobs(now=clock.now()) == 0
    assert status_of(long_running) == "RUNNING"
    assert status_of(fresh) == "RUNNING"


def test_a_file_left_received_with_no_job_gets_one():
    case = submit_case(now=clock.now() - timedelta(minutes=10))
    DBTaskResult.objects.all().delete()  # the job it was queued with was lost

    assert services.queue_untriaged_cases(now=clock.now()) == 1
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["args"] == [str(case.public_id)]
    assert services.queue_untriaged_cases(now=clock.now()) == 0  # one is waiting now


def test_a_file_just_received_or_failed_too_often_is_left_alone():
    submit_case()  # just in: its own job will come
    old = submit_case(now=clock.now() - timedelta(minutes=10))
    DBTaskResult.objects.all().delete()
    for _ in range(3):
        failed = triage_submitted_case.enqueue(str(old.public_id))
        DBTaskResult.objects.filter(pk=failed.id).update(status="FAILED")

    assert services.queue_untriaged_cases(now=clock.now()) == 0


def test_a_supervisor_sends_a_failed_job_again_once_per_key():
    supervisor = create_user(Role.SUPERVISOR)
    failed = triage_submitted_case.enqueue("some-case")
    DBTaskResult.objects.filter(pk=failed.id).update(status="FAILED")

    first = services.retry_job(
        job_id=failed.id, supervisor=supervisor, idempotency_key="k", now=clock.now()
    )
    again = services.retry_job(
        job_id=failed.id, supervisor=supervisor, idempotency_key="k", now=clock.now()
    )

    assert first == again
    new = DBTaskResult.objects.get(pk=first)
    assert (new.status, new.args_kwargs["args"]) == ("READY", ["some-case"])


def test_only_a_supervisor_retries_and_only_a_failed_job():
    failed = triage_submitted_case.enqueue("x")
    ready = triage_submitted_case.enqueue("y")
    DBTaskResult.objects.filter(pk=failed.id).update(status="FAILED")

    with pytest.raises(NotPermitted):
        services.retry_job(
            job_id=failed.id,
            supervisor=create_user(Role.OFFICER),
            idempotency_key="k",
            now=clock.now(),
        )
    with pytest.raises(InvalidRequest):
        services.retry_job(
            job_id=ready.id,
            supervisor=create_user(Role.SUPERVISOR),
            idempotency_key="k",
            now=clock.now(),
        )
