"""Secure messages between the clients of a case and the department, kept as they were
sent: a message is never edited or deleted, and each read is recorded once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from passage.intake.models import StoredFile


class AuthorRole(models.TextChoices):
    """The capacity a message was written in."""

    APPLICANT = "applicant", _("Applicant")
    SPONSOR = "sponsor", _("Sponsor")
    REPRESENTATIVE = "representative", _("Representative")
    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


STAFF_AUTHOR_ROLES = frozenset({AuthorRole.OFFICER, AuthorRole.SUPERVISOR})


class _AppendOnly(models.Model):
    """A row written once: saving it again or deleting it is refused."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are kept as sent and cannot change.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{type(self).__name__} rows are kept as sent and cannot be deleted.")


class Thread(models.Model):
    """A conversation about one case, under a subject."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="threads")
    subject = models.CharField(max_length=200)
    # Which of the case's clients it is with: the applicant's side (and whoever acts for
    # it) or the sponsor's. A sponsor never reads the sponsored person's conversations.
    audience = models.CharField(
        max_length=20,
        choices=[("applicant", "Applicant"), ("sponsor", "Sponsor")],
        default="applicant",
    )
    # An inquiry is a client's question about an application past its inquiry date: it
    # shows in the queue of whoever has the file until the department answers it.
    kind = models.CharField(
        max_length=20,
        choices=[("message", _("Message")), ("inquiry", _("Inquiry"))],
        default="message",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # Moved forward by every message, to list a case's conversations newest first.
    last_message_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["case", "-last_message_at"], name="thread_by_case_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.subject}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Threads are kept with their messages and cannot be deleted.")


class Message(_AppendOnly):
    """One message of a thread, as its author sent it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=20, choices=AuthorRole.choices)
    body = models.TextField()
    sent_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=255)
    # What was asked for under the key: a replay must ask for the same thing.
    request_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"], name="message_idempotency_key_per_author"
            ),
            models.CheckConstraint(
                condition=models.Q(author_role__in=AuthorRole.values),
                name="message_author_role_known",
            ),
        ]
        indexes = [models.Index(fields=["thread", "sent_at"], name="message_by_thread_sent")]
        ordering = ["thread", "sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id} {self.author_role} at {self.sent_at:%Y-%m-%d %H:%M}"


class MessageAttachment(_AppendOnly, StoredFile):
    """A file sent with a message, stored under a key made of its hash."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")

    class Meta(StoredFile.Meta):
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.filename


class MessageRead(_AppendOnly):
    """The first time a person opened a message written by someone else."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="reads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "person"], name="message_read_once"),
        ]
        indexes = [models.Index(fields=["person", "message"], name="message_read_by_person")]

    def __str__(self) -> str:
        return f"{self.message_id} read by {self.person_id}"
