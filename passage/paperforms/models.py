"""Paper forms received at intake: each scan a clerk uploaded, what reading it gave, and
the case it became."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from passage.intake.models import StoredFile


class PaperScan(StoredFile):
    """One upload of a paper form (a scan or a phone photo) and its reading.

    `read` means every symbol was found and the document is a valid form; `incomplete`
    that a symbol is missing or damaged, or the document is not valid (`problems` says
    which), and the clerk keys the form by hand from its printed words. Once filed, the
    case is kept here; a scan set aside (a duplicate, not a form) files nothing."""

    class State(models.TextChoices):
        READ = "read", _("Read")
        INCOMPLETE = "incomplete", _("Incomplete")
        FILED = "filed", _("Filed")
        SET_ASIDE = "set-aside", _("Set aside")

    class ReceivedBy(models.TextChoices):
        MAIL = "mail", _("Mail")
        COUNTER = "counter", _("Service counter")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=12, choices=State.choices)
    received_on = models.DateField()
    received_by = models.CharField(max_length=10, choices=ReceivedBy.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=255)
    form_code = models.CharField(max_length=40, blank=True)
    # The document read from the symbols, when it was read whole and valid.
    document = models.JSONField(null=True, blank=True)
    # What is missing or wrong, each in words ("symbol 2 of 3 not found").
    problems = models.JSONField(default=list, blank=True)
    pages = models.PositiveIntegerField(default=0)
    symbols_found = models.PositiveIntegerField(default=0)
    # The outages of the register on the day the form was received (`OUT-…` references).
    outages = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How the receipt went to the client: by email, or printed and mailed.
    receipt = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            *StoredFile.Meta.constraints,
            models.UniqueConstraint(
                fields=["uploaded_by", "idempotency_key"], name="paperscan_idempotency_key"
            ),
            models.CheckConstraint(
                condition=~Q(state="filed") | Q(case__isnull=False), name="paperscan_filed_has_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_code or '?'} {self.public_id} ({self.state})"
