"""Writes to the notification outbox. Callers are inside their own transaction."""

from datetime import datetime
from typing import Any

from passage.messaging.models import OutboxMessage


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
    """Add an email to the outbox, to be sent after the surrounding transaction commits."""
    return OutboxMessage.objects.create(
        kind=kind,
        case=case,
        to_email=to_email,
        language=language,
        template=template,
        context=context,
        created_at=now,
        next_attempt_at=now,
    )
