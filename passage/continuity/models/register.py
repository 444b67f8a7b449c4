"""The outage register: every planned maintenance and incident of a part of Passage that
clients use, with its public reference (`OUT-2026-0007`), its public text in both
languages, and every change to it kept as an update."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Component(models.TextChoices):
    """The parts of Passage a client or a partner uses, each of which can be down."""

    SIGN_IN = "sign-in", _("Sign-in")
    INTAKE = "intake", _("Applying online")
    UPLOADS = "uploads", _("Document uploads")
    TRACKER = "tracker", _("Case status tracker")
    MESSAGES = "messages", _("Secure messages")
    PAYMENTS = "payments", _("Payments")
    EMPLOYER_FILINGS = "employer-filings", _("Employer filings")
    API = "api", _("API for partners")
    EMAIL = "email", _("Email")


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("Planned maintenance")
    INCIDENT = "incident", _("Incident")


class OutageStatus(models.TextChoices):
    """Planned maintenance is scheduled, in progress, then completed; an incident is
    investigated, identified, monitored, then resolved."""

    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    INVESTIGATING = "investigating", _("Investigating")
    IDENTIFIED = "identified", _("Identified")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


# The statuses each kind moves through, in order; the last one ends it.
STATUSES_OF = {
    OutageKind.PLANNED: (OutageStatus.SCHEDULED, OutageStatus.IN_PROGRESS, OutageStatus.COMPLETED),
    OutageKind.INCIDENT: (
        OutageStatus.INVESTIGATING,
        OutageStatus.IDENTIFIED,
        OutageStatus.MONITORING,
        OutageStatus.RESOLVED,
    ),
}
ENDED_STATUSES = (OutageStatus.COMPLETED, OutageStatus.RESOLVED)


class Outage(models.Model):
    """One entry of the register. `ends_at` is empty while an incident goes on; a planned
    maintenance states its end ahead. An incident the probes opened waits for staff to
    confirm and describe it (`confirmed_at`); a record made in error is withdrawn, never
    deleted, and gives no relief."""

    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=10, choices=OutageKind.choices)
    status = models.CharField(max_length=15, choices=OutageStatus.choices)
    components = models.JSONField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    title_en = models.CharField(max_length=200)
    title_fr = models.CharField(max_length=200)
    text_en = models.TextField(blank=True)
    text_fr = models.TextField(blank=True)
    # What clients can do instead while it lasts.
    advice_en = models.TextField(blank=True)
    advice_fr = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by_probes = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_because = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at"], name="outage_by_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="outage_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind="incident") | Q(ends_at__isnull=False, announced_at__isnull=False),
                name="outage_planned_has_end_and_announcement",
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=r"^OUT-[0-9]{4}-[0-9]{4,}$"),
                name="outage_reference_shape",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def title(self, language: str) -> str:
        return self.title_fr if language == "fr" else self.title_en

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en

    def advice(self, language: str) -> str:
        return self.advice_fr if language == "fr" else self.advice_en

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_STATUSES


class OutageUpdate(models.Model):
    """One change to an outage, kept as made: the status and public text then, what
    changed (field: [before, after]), who made it (nobody: the probes), under the
    idempotency key of the form or request that made it."""

    outage = models.ForeignKey(Outage, on_delete=models.PROTECT, related_name="updates")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=15, choices=OutageStatus.choices)
    text_en = models.TextField(blank=True)
    text_fr = models.TextField(blank=True)
    changes = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="outage_update_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.outage_id} {self.status} at {self.at:%Y-%m-%d %H:%M}"

    def text(self, language: str) -> str:
        return self.text_fr if language == "fr" else self.text_en


class ReferenceCounter(models.Model):
    """The last reference number given in a year: taken under a row lock, so that two
    outages recorded at once never share a reference."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
