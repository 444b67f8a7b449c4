"""Submissions the intake spool acknowledged while the database was out of reach, as the
replayer recorded them once it was back."""

from django.conf import settings
from django.db import models


class SpooledSubmission(models.Model):
    """One receipt of the spool and what its replay made of it: the case (a new one, or
    the one its idempotency key had already made), or why it could not become one."""

    class Outcome(models.TextChoices):
        CREATED = "created"
        REPLAYED = "replayed"
        REJECTED = "rejected"

    receipt = models.CharField(max_length=40, unique=True)
    received_at = models.DateTimeField()
    replayed_at = models.DateTimeField()
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=255)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.receipt} {self.outcome}"
