"""Email delivery from the outbox: claim due rows, send them through Django's configured
email backend (SMTP in production), and record what happened to each.

Delivery is at least once. A row is marked sent in the transaction that claimed it, so a
crash after the mail server accepted a message but before that commit sends it again,
with the same Message-ID (`OutboxMessage.message_id`) for the receiving side to
recognise. A row marked sent is never claimed again.
"""

import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from passage.messaging.backoff import retry_delay
from passage.messaging.emails import EmailTemplateError, render_email
from passage.messaging.models import OutboxMessage

logger = logging.getLogger(__name__)

_default_rng = random.Random()  # noqa: S311 - spreads retries in time; nothing secret

# Refusals about one message; anything else (refused connection, timeout, dropped
# connection, failed sign-in) is about the server, and ends the pass.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
_RENDER_ERRORS = (EmailTemplateError, TemplateDoesNotExist, TemplateSyntaxError)


@dataclass(frozen=True)
class DeliveryPass:
    """What one pass did: emails accepted by the server, emails that will be tried again,
    and emails given up on (status failed)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __add__(self, other: "DeliveryPass") -> "DeliveryPass":
        return DeliveryPass(
            self.sent + other.sent, self.retrying + other.retrying, self.failed + other.failed
        )


def deliver_due_emails(
    *, now: datetime, batch_size: int | None = None, rng: random.Random | None = None
) -> DeliveryPass:
    """Send the pending emails due at `now`, a batch at a time, until none is left or the
    mail server cannot be reached. Safe to run in several workers at once."""
    size = batch_size or settings.PASSAGE_EMAIL_BATCH_SIZE
    total = DeliveryPass()
    while True:
        done, claimed, reachable = _deliver_batch(now=now, size=size, rng=rng or _default_rng)
        total += done
        if claimed < size or not reachable:
            return total


def _deliver_batch(
    *, now: datetime, size: int, rng: random.Random
) -> tuple[DeliveryPass, int, bool]:
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:size]
        )
        if not rows:
            return DeliveryPass(), 0, True
        outcome = DeliveryPass()
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except OSError as error:
            for row in rows:
                outcome += _record_failure(row, error=error, now=now, rng=rng)
            return outcome, len(rows), False
        try:
            for index, row in enumerate(rows):
                try:
                    outcome += _send(row, connection=connection, now=now, rng=rng)
                except OSError as error:
                    # The server went away: this row and the rest of the batch wait.
                    for unsent in rows[index:]:
                        outcome += _record_failure(unsent, error=error, now=now, rng=rng)
                    return outcome, len(rows), False
        finally:
            _close_quietly(connection)
        return outcome, len(rows), True


def _send(
    row: OutboxMessage, *, connection: BaseEmailBackend, now: datetime, rng: random.Random
) -> DeliveryPass:
    try:
        message = build_message(row, connection=connection)
    except (*_RENDER_ERRORS, ValueError) as error:
        # Retrying cannot fix a template or an address; the admin's retry action can,
        # once they are fixed.
        return _give_up(row, error=error)
    try:
        accepted = message.send()
    except _MESSAGE_ERRORS as error:
        return _record_failure(row, error=error, now=now, rng=rng)
    except OSError:
        raise  # the server went away: the caller puts the rest of the batch back
    except Exception as error:
        # A row that cannot be sent as it is (an address with a line break, a header
        # the backend refuses) fails alone, and the rows sent before it stay sent.
        logger.exception("Email %s cannot be sent", row.pk)
        return _give_up(row, error=error)
    if not accepted:
        return _record_failure(row, error="The mail server accepted nothing.", now=now, rng=rng)
    row.status = OutboxMessage.Status.SENT
    row.sent_at = now
    row.attempts += 1
    row.save(update_fields=["status", "sent_at", "attempts"])
    return DeliveryPass(sent=1)


def build_message(
    row: OutboxMessage, *, connection: BaseEmailBackend | None = None
) -> EmailMessage:
    """The email for a row: the version of the template it was queued with, rendered in
    its language, carrying the row's stable Message-ID. A link with a token or a code is
    made now from the row's reference; a reference that no longer resolves (the account
    is gone) is an UnresolvedSecret, and the row fails alone."""
    rendered = render_email(
        template=row.template,
        version=row.template_version,
        language=row.language,
        context=row.context,
    )
    return EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        connection=connection,
        headers={
            "Message-ID": row.message_id,
            "Content-Language": row.language,
            "Auto-Submitted": "auto-generated",
        },
    )


def _record_failure(
    row: OutboxMessage, *, error: BaseException | str, now: datetime, rng: random.Random
) -> DeliveryPass:
    row.attempts += 1
    row.last_error = _describe(error)
    if row.attempts >= settings.PASSAGE_EMAIL_MAX_ATTEMPTS:
        row.status = OutboxMessage.Status.FAILED
        logger.error("Email %s failed after %s attempts: %s", row.pk, row.attempts, row.last_error)
        row.save(update_fields=["attempts", "last_error", "status"])
        return DeliveryPass(failed=1)
    row.next_attempt_at = now + retry_delay(
        attempts=row.attempts,
        base_seconds=settings.PASSAGE_EMAIL_RETRY_BASE_SECONDS,
        cap_seconds=settings.PASSAGE_EMAIL_RETRY_CAP_SECONDS,
        rng=rng,
    )
    logger.warning("Email %s not sent, trying again later: %s", row.pk, row.last_error)
    row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return DeliveryPass(retrying=1)


def _give_up(row: OutboxMessage, *, error: BaseException) -> DeliveryPass:
    row.attempts += 1
    row.last_error = _describe(error)
    row.status = OutboxMessage.Status.FAILED
    logger.error("Email %s cannot be sent as it is: %s", row.pk, row.last_error)
    row.save(update_fields=["attempts", "last_error", "status"])
    return DeliveryPass(failed=1)


def _describe(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error
    return f"{type(error).__name__}: {error}"[:2000]


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except OSError:  # closing a connection the server already dropped
        logger.debug("Closing the mail connection failed", exc_info=True)
