"""The task workers' upkeep: their heartbeats, jobs cut short by a worker that died or
lost its database (queued again after the lease: every job is idempotent), submitted
files that no triage job will reach (queued a job), and a supervisor's retry of a failed
job."""

import os
import socket
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.jobs.models import JobRetry, WorkerHeartbeat
from passage.triage.tasks import triage_submitted_case

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"
TRIAGE_TASK = triage_submitted_case.module_path


def beat(*, worker_id: str, started_at: datetime, now: datetime) -> None:
    """Record that the worker is alive."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": now,
            "started_at": started_at,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def requeue_abandoned_jobs(*, now: datetime) -> int:
    """Queue again every running job whose worker has been quiet for longer than the
    lease (killed, or cut off from the database); return how many."""
    quiet_since = now - timedelta(seconds=settings.PASSAGE_WORKER_LEASE_SECONDS)
    alive = live_workers(since=quiet_since)
    requeued = 0
    with transaction.atomic():
        # A job started within the lease is never abandoned: leave it (and its lock) alone.
        running = DBTaskResult.objects.filter(
            status=RUNNING, started_at__lt=quiet_since
        ).select_for_update(skip_locked=True)
        for job in running:
            if is_abandoned(job, alive=alive, quiet_since=quiet_since):
                _requeue(job)
                requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued


def requeue_held_jobs(*, job_ids: Iterable[UUID], worker_id: str) -> int:
    """Queue again the jobs among `job_ids` that `worker_id` still holds as running: jobs
    it was running when the database went away, and so did not finish. Return how many."""
    requeued = 0
    with transaction.atomic():
        held = DBTaskResult.objects.filter(pk__in=list(job_ids), status=RUNNING)
        for job in held.select_for_update(skip_locked=True):
            if job.worker_ids and job.worker_ids[-1] == worker_id:
                _requeue(job)
                requeued += 1
    return requeued


def _requeue(job: DBTaskResult) -> None:
    job.status = READY
    job.started_at = None
    job.save(update_fields=["status", "started_at"])


def live_workers(*, since: datetime) -> set[str]:
    """The ids of the workers heard from since `since`."""
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )


def is_abandoned(job: DBTaskResult, *, alive: set[str], quiet_since: datetime) -> bool:
    """Whether a running job was left by its worker: the worker is not among `alive` and
    the job started before `quiet_since` (a job just taken may beat its worker's first
    heartbeat)."""
    holder = job.worker_ids[-1] if job.worker_ids else None
    started_recently = job.started_at is not None and job.started_at >= quiet_since
    return holder not in alive and not started_recently


def queue_untriaged_cases(*, now: datetime, limit: int = 500) -> int:
    """Queue a triage job for each submitted file still "received" a while after it came
    in that has no triage job waiting or running (and fewer failed ones than
    PASSAGE_TRIAGE_MAX_ATTEMPTS: past that, a supervisor retries it); return how many."""
    before = now - timedelta(seconds=settings.PASSAGE_TRIAGE_SWEEP_AFTER_SECONDS)
    waiting = list(
        Case.objects.filter(status=CaseStatus.RECEIVED, received_at__lt=before)
        .order_by("received_at")
        .values_list("public_id", flat=True)[:limit]
    )
    ids = [str(public_id) for public_id in waiting]
    busy: set[str] = set()
    failures: Counter[str] = Counter()
    jobs = DBTaskResult.objects.filter(task_path=TRIAGE_TASK, args_kwargs__args__0__in=ids)
    for case_id, status in jobs.values_list("args_kwargs__args__0", "status"):
        if status in (READY, RUNNING):
            busy.add(case_id)
        elif status == FAILED:
            failures[case_id] += 1
    queued = 0
    for case_id in ids:
        if case_id in busy or failures[case_id] >= settings.PASSAGE_TRIAGE_MAX_ATTEMPTS:
            continue
        triage_submitted_case.enqueue(case_id)
        queued += 1
    return queued


def retry_job(*, job_id: UUID, supervisor: User, idempotency_key: str, now: datetime) -> UUID:
    """Send a failed job again, as a new job with the same arguments; the same key gives
    the same new job. Only supervisors do this."""
    if not supervisor.has_role(Role.SUPERVISOR):
        raise NotPermitted(_("Only a supervisor can send a job again."))
    earlier = JobRetry.objects.filter(retried_by=supervisor, idempotency_key=idempotency_key)
    if (done := earlier.first()) is not None:
        return done.new_job_id
    job = DBTaskResult.objects.filter(pk=job_id, status=FAILED).first()
    if job is None:
        raise InvalidRequest(_("This job did not fail, or is already gone."))
    try:
        # The new job and the record of the retry commit together: a second click that
        # loses the race on the key leaves no job of its own behind.
        with transaction.atomic():
            new = job.task.enqueue(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
            JobRetry.objects.create(
                failed_job_id=job.pk,
                new_job_id=UUID(str(new.id)),
                retried_by=supervisor,
                retried_at=now,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # the same key at the same moment: the first one stands
        return earlier.get().new_job_id
    return UUID(str(new.id))
