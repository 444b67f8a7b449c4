from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A side effect (an email, for now) committed with the change that caused it and
    delivered later by a worker that marks it sending before it sends and sent after
    (`passage.outbox.delivery` says when an email can still go out twice)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=60)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="outbox"
    )
    to_email = models.EmailField()
    language = models.CharField(max_length=2)
    template = models.CharField(max_length=80)
    # The version queued is the version sent, even if a newer one ships before a retry.
    template_version = models.PositiveIntegerField(default=1)
    # Only what the template needs: never case content, which stays behind sign-in, and
    # never a link with a token or a code, only a reference to it (outbox.references).
    context = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # When a worker claimed the row to send it (status sending). A claim older than
    # PASSAGE_EMAIL_SENDING_LEASE_SECONDS belongs to a worker that died, and is taken back.
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(
                fields=["sending_since"],
                condition=models.Q(status="sending"),
                name="outbox_sending_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"

    @property
    def message_id(self) -> str:
        """The Message-ID header every send of this row carries, so that a resend after a
        crash between the mail server's acceptance and our commit can be recognised."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "passage"
        return f"<outbox-{self.pk}@{domain}>"
