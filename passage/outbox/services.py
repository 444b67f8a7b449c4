"""Writes to the notification outbox. Callers are inside their own transaction."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from passage.outbox.emails import check_context, current_version
from passage.outbox.models import OutboxMessage


def queue_email(
    *,
    kind: str,
    to_email: str,
    language: str,
    template: str,
    context: dict[str, Any],
    now: datetime,
    case: Any = None,
) -> OutboxMessage:
    """Add an email to the outbox, to be sent after the surrounding transaction commits,
    with the template's current version. Raise ValueError for an unknown template, for
    context outside the allow-list (emails never carry case content), and for a link or
    code that the template takes as a reference (`passage.outbox.references`)."""
    version = current_version(template)
    check_context(template, context)
    return OutboxMessage.objects.create(
        kind=kind,
        case=case,
        to_email=to_email,
        language=language,
        template=template,
        template_version=version,
        context=context,
        created_at=now,
        next_attempt_at=now,
    )


@transaction.atomic
def retry_failed_emails(*, ids: Iterable[int], now: datetime) -> int:
    """Give failed emails a fresh set of attempts from `now`; return how many. Emails
    already sent, being sent (they may be on their way) or still pending are left alone."""
    return OutboxMessage.objects.filter(
        pk__in=list(ids), status=OutboxMessage.Status.FAILED
    ).update(status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now)
