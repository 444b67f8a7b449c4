"""Email delivery from the outbox: claim due rows, send them through Django's configured
email backend (SMTP in production), and record what happened to each.

A row goes pending → sending → sent (or back to pending to be tried again, or failed).
Each step is a short transaction of its own: claiming marks due rows sending (with
`SELECT … FOR UPDATE SKIP LOCKED`, so two workers never claim the same row), and each
email is marked sent as soon as the mail server accepted it. A worker that cannot record
that because the database is gone keeps trying before it sends anything else. So an email
goes out twice only when its worker dies between the server's acceptance and that record
(or stays cut off from the database longer than the lease while another worker runs), or
when the mail connection drops after the message was handed over and before the server
answered (SMTP cannot tell whether it was accepted); both sends carry the same Message-ID
(`OutboxMessage.message_id`). A row left sending longer than
PASSAGE_EMAIL_SENDING_LEASE_SECONDS is put back to pending by the next pass of any worker.
"""

import logging
import random
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import F, QuerySet
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from passage.outbox.backoff import retry_delay
from passage.outbox.emails import EmailTemplateError, render_email
from passage.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

_default_rng = random.Random()  # noqa: S311 - spreads retries in time; nothing secret

# Refusals about one message; anything else (refused connection, timeout, dropped
# connection, failed sign-in) is about the server, and ends the pass.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
_RENDER_ERRORS = (EmailTemplateError, TemplateDoesNotExist, TemplateSyntaxError)
# What a database that restarts, stops or cancels a statement raises.
_DATABASE_GONE = (OperationalError, InterfaceError)

# Waits between tries to record an accepted email: short, so that the record is in
# before another worker's lease check once the database is back.
_RECORD_RETRY_FIRST_SECONDS = 0.1
_RECORD_RETRY_CAP_SECONDS = 2.0
_pause = time.sleep

ABANDONED = "The worker stopped while sending this email; it may have gone out once already."


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
    *,
    now: datetime,
    batch_size: int | None = None,
    rng: random.Random | None = None,
    clock: Clock | None = None,
) -> DeliveryPass:
    """Put back what dead workers left sending, then send the emails due at `now` a batch
    at a time until none is left or the mail server is out of reach. `clock` dates claims
    (by default time stands at `now`). Run it outside a transaction, in any number of workers."""
    size = batch_size or settings.PASSAGE_EMAIL_BATCH_SIZE
    tick = clock or (lambda: now)
    release_abandoned_sends(now=now)
    total = DeliveryPass()
    while True:
        rows = _claim(due=now, size=size, at=tick())
        if not rows:
            return total
        done, reachable = _deliver(rows, now=now, clock=tick, rng=rng or _default_rng)
        total += done
        if len(rows) < size or not reachable:
            return total


def release_abandoned_sends(*, now: datetime) -> int:
    """Put back to pending, due at `now`, the emails left sending longer than the lease: the
    worker that claimed them died, perhaps after the mail server accepted them. An email
    out of attempts fails instead. Return how many rows changed."""
    cutoff = now - timedelta(seconds=settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS)
    abandoned = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, sending_since__lte=cutoff
    )
    common: dict[str, Any] = {
        "attempts": F("attempts") + 1,
        "last_error": ABANDONED,
        "sending_since": None,
    }
    with transaction.atomic():
        failed = abandoned.filter(attempts__gte=settings.PASSAGE_EMAIL_MAX_ATTEMPTS - 1).update(
            status=OutboxMessage.Status.FAILED, **common
        )
        released = abandoned.update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=now, **common
        )
    if failed or released:
        logger.warning(
            "%s emails were left sending by a worker that stopped: %s will be tried again, "
            "%s failed; each may have gone out once already",
            failed + released,
            released,
            failed,
        )
    return failed + released


def _claim(*, due: datetime, size: int, at: datetime) -> list[OutboxMessage]:
    """Mark up to `size` rows due at `due` as sending since `at`, and commit."""
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=due)
            .order_by("next_attempt_at", "pk")[:size]
        )
        if rows:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=OutboxMessage.Status.SENDING, sending_since=at
            )
    for row in rows:
        row.status, row.sending_since = OutboxMessage.Status.SENDING, at
    return rows


def _deliver(
    rows: list[OutboxMessage], *, now: datetime, clock: Clock, rng: random.Random
) -> tuple[DeliveryPass, bool]:
    """Send claimed rows over one connection; say whether the mail server stayed reachable."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except OSError as error:
        return _put_back(rows, error=error, now=now, rng=rng), False
    outcome = DeliveryPass()
    try:
        for index, row in enumerate(rows):
            try:
                outcome += _send(row, connection=connection, now=now, clock=clock, rng=rng)
            except OSError as error:
                # The server went away: this row and the rest of the batch wait.
                return outcome + _put_back(rows[index:], error=error, now=now, rng=rng), False
    finally:
        _close_quietly(connection)
    return outcome, True


def _send(
    row: OutboxMessage,
    *,
    connection: BaseEmailBackend,
    now: datetime,
    clock: Clock,
    rng: random.Random,
) -> DeliveryPass:
    if not _renew(row, at=clock()):
        logger.warning("Email %s was taken over by another worker; this one leaves it", row.pk)
        return DeliveryPass()
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
    _record_sent(row, at=clock())
    return DeliveryPass(sent=1)


def _renew(row: OutboxMessage, *, at: datetime) -> bool:
    """Restart the lease of a claimed row just before sending it; False if the row is no
    longer this worker's (it was held up past the lease and another worker took it)."""
    held = _claimed(row).update(sending_since=at)
    if held:
        row.sending_since = at
    return bool(held)


def _claimed(row: OutboxMessage) -> QuerySet[OutboxMessage]:
    """The row, as long as it is still this worker's claim."""
    return OutboxMessage.objects.filter(
        pk=row.pk, status=OutboxMessage.Status.SENDING, sending_since=row.sending_since
    )


def _record_sent(row: OutboxMessage, *, at: datetime) -> None:
    """Mark sent an email the server accepted, trying again for as long as the database is
    out of reach: a forgotten acceptance would send the email again."""
    wait = _RECORD_RETRY_FIRST_SECONDS
    while True:
        try:
            _mark_sent(row, at=at)
            return
        except _DATABASE_GONE as error:
            logger.error(
                "Email %s was sent but cannot be marked sent yet; trying again in %.1f s: %s",
                row.pk,
                wait,
                error,
            )
            _drop_connection()
            _pause(wait)
            wait = min(wait * 2, _RECORD_RETRY_CAP_SECONDS)


def _mark_sent(row: OutboxMessage, *, at: datetime) -> None:
    """One try at recording that the server accepted a row's email, whoever holds the claim
    now: the email is out. Its earlier errors no longer apply."""
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxMessage.Status.SENT,
        sent_at=at,
        attempts=F("attempts") + 1,
        last_error="",
        sending_since=None,
    )
    row.status, row.sent_at, row.last_error, row.sending_since = (
        OutboxMessage.Status.SENT,
        at,
        "",
        None,
    )
    row.attempts += 1


def _drop_connection() -> None:
    """Close a connection the database may have broken, so the next query opens a new one."""
    if db_connection.in_atomic_block:
        return  # closing would end the caller's transaction: leave that to its owner
    try:
        db_connection.close()
    except DatabaseError:
        logger.debug("Closing a broken database connection failed", exc_info=True)


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


def _put_back(
    rows: list[OutboxMessage], *, error: BaseException, now: datetime, rng: random.Random
) -> DeliveryPass:
    outcome = DeliveryPass()
    for row in rows:
        outcome += _record_failure(row, error=error, now=now, rng=rng)
    return outcome


def _record_failure(
    row: OutboxMessage, *, error: BaseException | str, now: datetime, rng: random.Random
) -> DeliveryPass:
    attempts = row.attempts + 1
    last_error = _describe(error)
    if attempts >= settings.PASSAGE_EMAIL_MAX_ATTEMPTS:
        if not _release(
            row, attempts=attempts, last_error=last_error, status=OutboxMessage.Status.FAILED
        ):
            return DeliveryPass()
        logger.error("Email %s failed after %s attempts: %s", row.pk, attempts, last_error)
        return DeliveryPass(failed=1)
    wait = retry_delay(
        attempts=attempts,
        base_seconds=settings.PASSAGE_EMAIL_RETRY_BASE_SECONDS,
        cap_seconds=settings.PASSAGE_EMAIL_RETRY_CAP_SECONDS,
        rng=rng,
    )
    if not _release(
        row,
        attempts=attempts,
        last_error=last_error,
        status=OutboxMessage.Status.PENDING,
        next_attempt_at=now + wait,
    ):
        return DeliveryPass()
    logger.warning("Email %s not sent, trying again later: %s", row.pk, last_error)
    return DeliveryPass(retrying=1)


def _give_up(row: OutboxMessage, *, error: BaseException) -> DeliveryPass:
    last_error = _describe(error)
    if not _release(
        row, attempts=row.attempts + 1, last_error=last_error, status=OutboxMessage.Status.FAILED
    ):
        return DeliveryPass()
    logger.error("Email %s cannot be sent as it is: %s", row.pk, last_error)
    return DeliveryPass(failed=1)


def _release(row: OutboxMessage, **changes: Any) -> bool:
    """End this worker's claim on a row it did not send, with `changes`, in a transaction of
    its own; False, changing nothing, if the claim was no longer this worker's."""
    if not _claimed(row).update(sending_since=None, **changes):
        logger.warning("Email %s was taken over by another worker; this one leaves it", row.pk)
        return False
    row.sending_since = None
    for name, value in changes.items():
        setattr(row, name, value)
    return True


def _describe(error: BaseException | str) -> str:
    if isinstance(error, str):
        return error
    return f"{type(error).__name__}: {error}"[:2000]


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except OSError:  # closing a connection the server already dropped
        logger.debug("Closing the mail connection failed", exc_info=True)
