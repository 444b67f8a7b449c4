"""Reads about background jobs for supervisors: the jobs that failed or are stuck, and
the submitted files still waiting for triage."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.jobs.services import FAILED, RUNNING, is_abandoned, live_workers

LISTED = 100


@dataclass(frozen=True)
class JobRow:
    job_id: UUID
    task: str
    case_reference: str
    enqueued_at: datetime
    started_at: datetime | None
    error: str
    attempts: int


@dataclass(frozen=True)
class JobsOverview:
    stuck: list[JobRow]
    failed: list[JobRow]
    waiting_for_triage: int
    oldest_waiting: datetime | None


def jobs_overview(*, person: User, now: datetime) -> JobsOverview:
    """Failed jobs and running jobs whose worker has gone quiet past the lease, newest
    first, and the files still "received" longer than the triage sweep waits; empty for
    anyone but supervisors."""
    if not (person.is_active and person.has_role(Role.SUPERVISOR)):
        return JobsOverview(stuck=[], failed=[], waiting_for_triage=0, oldest_waiting=None)
    quiet_since = now - timedelta(seconds=settings.PASSAGE_WORKER_LEASE_SECONDS)
    jobs = DBTaskResult.objects.filter(
        Q(status=FAILED) | Q(status=RUNNING, started_at__lt=quiet_since)
    ).order_by("-enqueued_at")[:LISTED]
    alive = live_workers(since=quiet_since)
    rows = [
        job
        for job in jobs
        if job.status == FAILED or is_abandoned(job, alive=alive, quiet_since=quiet_since)
    ]
    references = _references(rows)
    waiting = Case.objects.filter(
        status=CaseStatus.RECEIVED,
        received_at__lt=now - timedelta(seconds=settings.PASSAGE_TRIAGE_SWEEP_AFTER_SECONDS),
    )
    oldest = waiting.order_by("received_at").values_list("received_at", flat=True).first()
    return JobsOverview(
        stuck=[_row(job, references) for job in rows if job.status == RUNNING],
        failed=[_row(job, references) for job in rows if job.status == FAILED],
        waiting_for_triage=waiting.count(),
        oldest_waiting=oldest,
    )


def _references(jobs: list[DBTaskResult]) -> dict[str, str]:
    """The case reference behind each job whose first argument is a case id."""
    ids = []
    for job in jobs:
        args = job.args_kwargs.get("args") or []
        if args and isinstance(args[0], str):
            try:
                ids.append(UUID(args[0]))
            except ValueError:
                continue
    return {
        str(public_id): reference
        for public_id, reference in Case.objects.filter(public_id__in=ids).values_list(
            "public_id", "reference"
        )
    }


def _row(job: DBTaskResult, references: dict[str, str]) -> JobRow:
    args = job.args_kwargs.get("args") or []
    first = str(args[0]) if args else ""
    last_line = (job.traceback or "").strip().splitlines()[-1:] or [""]
    return JobRow(
        job_id=job.pk,
        task=job.task_path.rsplit(".", 1)[-1],
        case_reference=references.get(first, ""),
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        error=last_line[0][:300],
        attempts=len(job.worker_ids),
    )
