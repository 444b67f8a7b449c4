"""The task worker: django-tasks' database worker, made to outlive the database.

django-tasks-db's worker exits on the first database error (4 of 4 in a drill), and a job
cut short by a killed worker stays "running" forever. This worker ends a pass on a
database error and tries again with a backoff; says it is alive every few seconds, from a
thread with its own connection, so that the others can tell its jobs from abandoned ones;
and, every PASSAGE_JOB_SWEEP_SECONDS, queues again the jobs of workers gone quiet and
queues triage for submitted files that no job will reach (`services`).
"""

import logging
import threading
import time
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.db import Error, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from passage import clock
from passage.jobs import services
from passage.resilience import Backoff, drop_connections, is_outage, log_failed_pass

logger = logging.getLogger(__name__)


class ResilientWorker(Worker):
    """`Worker` whose loop survives database outages and keeps the jobs' leases."""

    def run(self) -> None:
        logger.info("Starting task worker %s", self.worker_id)
        started_at = clock.now()
        heartbeat = threading.Thread(
            target=self._beat, args=(started_at,), name="passage-heartbeat", daemon=True
        )
        heartbeat.start()
        backoff = Backoff()
        next_sweep = 0.0
        self._cut_short: list[UUID] = []
        while self.running:
            try:
                if self._cut_short:
                    self._put_back_cut_short()
                if time.monotonic() >= next_sweep:
                    self._sweep()
                    next_sweep = time.monotonic() + settings.PASSAGE_JOB_SWEEP_SECONDS
                done = self._one_job()
            except Error as error:
                wait = backoff.next()
                log_failed_pass(f"Task worker {self.worker_id}", error, wait)
                drop_connections()
                time.sleep(wait)
                continue
            backoff.reset()
            if done is None:
                if self.batch:
                    return
                time.sleep(self.interval)
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return

    def _one_job(self) -> DBTaskResult | None:
        """Claim the next ready job and run it; the job, or None when there was none."""
        close_old_connections()
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(jobs.db):
            job = jobs.get_locked()
            if job is not None:
                job.claim(self.worker_id)
        if job is not None:
            self.run_task(job)
        return job

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the job. One cut short by the database going away is not marked failed (it
        did not fail, and the database cannot take the mark): the worker puts it back in
        the queue as soon as the database is back, before it takes another (if the worker
        dies first, the lease brings it back)."""
        try:
            self.running_task = True
            task = db_task_result.task
            result = db_task_result.task_result
            value = (
                task.call(*result.args, **result.kwargs)
                if not task.takes_context
                else task.call(_context(result), *result.args, **result.kwargs)
            )
        except Exception as error:
            if is_outage(error):
                self._cut_short.append(db_task_result.pk)
                raise  # the loop backs off, then puts the job back
            logger.exception("Job %s failed", db_task_result.id)
            db_task_result.set_failed(error)
        else:
            db_task_result.set_successful(value)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _put_back_cut_short(self) -> None:
        put_back = services.requeue_held_jobs(job_ids=self._cut_short, worker_id=self.worker_id)
        logger.warning(
            "Task worker %s: %s jobs cut short by the database queued again",
            self.worker_id,
            put_back,
        )
        self._cut_short = []

    def _sweep(self) -> None:
        now = clock.now()
        requeued = services.requeue_abandoned_jobs(now=now)
        queued = services.queue_untriaged_cases(now=now)
        if requeued or queued:
            logger.warning(
                "Task worker %s: %s abandoned jobs queued again, %s files queued for triage",
                self.worker_id,
                requeued,
                queued,
            )

    def _beat(self, started_at: datetime) -> None:
        """Say the worker is alive, from a thread of its own (a long job holds the main
        one), until the process ends."""
        while True:
            try:
                services.beat(worker_id=self.worker_id, started_at=started_at, now=clock.now())
            except Error:
                drop_connections()
            time.sleep(settings.PASSAGE_WORKER_HEARTBEAT_SECONDS)


def _context(result: object) -> object:
    from django_tasks_db.compat import TaskContext

    return TaskContext(task_result=result)  # type: ignore[arg-type]
