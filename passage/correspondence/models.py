"""Client email as the department receives it: each message kept whole before anything
else, then read (language, category, reference), linked to a case when its sender is a
party to it, acknowledged, and put in a team's correspondence queue."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passage.intake.models import StoredFile


class Category(models.TextChoices):
    """The spec's eight categories (`shared/spec/email-triage.md`)."""

    STATUS_ENQUIRY = "status-enquiry", _("Status enquiry")
    DOCUMENT_SUBMISSION = "document-submission", _("Document submission")
    URGENT_TRAVEL = "urgent-travel", _("Urgent travel")
    TECHNICAL_PROBLEM = "technical-problem", _("Technical problem")
    CHANGE_OF_INFORMATION = "change-of-information", _("Change of information")
    WITHDRAWAL = "withdrawal", _("Withdrawal")
    COMPLAINT = "complaint", _("Complaint")
    OTHER = "other", _("Other")


class InboundEmail(models.Model):
    """One message received, once (by its Message-ID), with what reading it gave."""

    class Channel(models.TextChoices):
        SMTP = "smtp", _("Delivered to Passage")
        IMAP = "imap", _("Fetched from a mailbox")

    class State(models.TextChoices):
        # Kept, not yet read: `passage mail process` picks it up if reading was cut short.
        RECEIVED = "received", _("Received")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        # Sent by a machine (an auto-reply, a bounce, a list): kept, in no queue.
        AUTOMATED = "automated", _("Sent automatically")

    class Route(models.TextChoices):
        AUTO = "auto", _("Routed automatically")
        PERSON = "person", _("To be read first")

    class Link(models.TextChoices):
        NONE = "none", _("No case")
        REFERENCE = "reference", _("Linked by its reference")
        ONLY_OPEN_CASE = "only-open-case", _("Linked to the sender's one open case")
        NOT_A_PARTY = "not-a-party", _("Reference of a case the sender is not a party to")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_id = models.CharField(max_length=1000, unique=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField()
    envelope_sender = models.CharField(max_length=320, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    sender_name = models.CharField(max_length=320, blank=True)
    # Whether the department's mail server found the From address genuine (DMARC passed);
    # None when no server is configured to check (PASSAGE_MAIL_AUTHSERV_ID).
    sender_verified = models.BooleanField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    subject = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The message exactly as received.
    raw = models.BinaryField()
    # Over PASSAGE_MAIL_MAX_BYTES (fetched from a mailbox): only the headers were kept, and
    # the acknowledgement says so.
    cut_to_headers = models.BooleanField(default=False)
    size = models.PositiveIntegerField()
    headers = models.JSONField(default=list, blank=True)
    # The text as read: the plain part, or the HTML part turned into plain text.
    text = models.TextField(blank=True)
    # What could not be read: malformed MIME, an unknown encoding, no text part.
    problems = models.JSONField(default=list, blank=True)
    # Attachments refused by the upload checks: [{"filename", "reason"}].
    refused_attachments = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    # Why no acknowledgement was sent (a machine sent it, the sender's daily limit).
    not_acknowledged = models.CharField(max_length=120, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)
    category = models.CharField(max_length=24, choices=Category.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    route = models.CharField(max_length=8, choices=Route.choices, blank=True)
    team = models.CharField(max_length=40, blank=True)
    # The reference as found in the email, whether or not it was linked.
    case_reference = models.CharField(max_length=16, blank=True)
    link = models.CharField(max_length=16, choices=Link.choices, default=Link.NONE)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outage = models.ForeignKey(
        "continuity.Outage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    # An officer's correction of the category: a label for the next training.
    corrected_category = models.CharField(max_length=24, choices=Category.choices, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["team", "received_at"],
                condition=models.Q(state="open"),
                name="mail_open_by_team",
            ),
            models.Index(
                fields=["received_at"],
                condition=models.Q(state="received"),
                name="mail_waiting_to_be_read",
            ),
            models.Index(fields=["sender", "acknowledged_at"], name="mail_acknowledged_by_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} from {self.sender}"

    @property
    def final_category(self) -> str:
        """The officer's category when they corrected it, else the classifier's."""
        return self.corrected_category or self.category


class MailAttachment(StoredFile):
    """An attachment that passed the upload checks, stored like any document."""

    email = models.ForeignKey(InboundEmail, on_delete=models.PROTECT, related_name="attachments")


class EmailAction(models.Model):
    """What an officer did with an email, kept in order: a category corrected, an answer
    sent, documents added to the case, the email closed. Append-only; the idempotency key
    makes a replayed request act once."""

    class Kind(models.TextChoices):
        CATEGORY_CORRECTED = "category-corrected", _("Category corrected")
        ANSWERED_IN_MESSAGES = "answered-in-messages", _("Answered in the secure messages")
        STANDARD_REPLY = "standard-reply", _("Standard reply sent")
        DOCUMENTS_ADDED = "documents-added", _("Documents added to the case")
        CLOSED = "closed", _("Closed")

    email = models.ForeignKey(InboundEmail, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=255)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "idempotency_key"], name="email_action_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on email {self.email_id}"
