"""What the task workers say about themselves, and the supervisors' retries of jobs."""

from django.conf import settings
from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life. A job claimed by a worker that has gone quiet
    for longer than the lease (PASSAGE_WORKER_LEASE_SECONDS) was cut short: it is
    queued again (`services.requeue_abandoned_jobs`)."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class JobRetry(models.Model):
    """A supervisor sent a failed job again: the job it copied, the new one, who, when."""

    failed_job_id = models.UUIDField()
    new_job_id = models.UUIDField()
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    retried_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["retried_by", "idempotency_key"], name="job_retry_key")
        ]

    def __str__(self) -> str:
        return f"{self.failed_job_id} retried as {self.new_job_id}"
