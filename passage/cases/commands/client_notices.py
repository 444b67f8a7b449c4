"""What a client tells the department of their own accord while their application is
open: documents nobody asked for, new contact details, a question once the inquiry date
has passed. Each is an event on the case that the officers of the file read."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.cases.commands.engine import Call, CommandResult, run
from passage.cases.commands.specs import REPORT_CHANGE, SEND_DOCUMENTS, SEND_INQUIRY
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case

MAX_DESCRIPTION = 200


def send_documents(
    *,
    case_id: UUID,
    actor: User,
    description: str,
    documents: list[dict[str, Any]],
    idempotency_key: str,
    attach: Callable[[Case, datetime], None],
    now: datetime | None = None,
) -> CommandResult:
    """Record documents a client sends that nobody asked for, with what they say they are:
    `attach` writes them (already checked and stored) in the same transaction;
    `documents` describes them for the log (file name, SHA-256, size)."""
    description = description.strip()
    errors = {}
    if not description:
        errors["description"] = str(_("Say what the documents are."))
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = str(_("Write at most 200 characters."))
    if not documents:
        errors["documents"] = str(_("Choose a file to upload."))
    if errors:
        raise InvalidRequest(_("The documents could not be sent."), errors=errors)
    payload = {"description": description, "documents": documents}
    return run(
        SEND_DOCUMENTS,
        Call(case_id, actor, idempotency_key, now=now),
        payload,
        attach,
    )


def report_change(
    *,
    case_id: UUID,
    actor: User,
    changes: dict[str, str],
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Record that a client's contact details changed (each changed field with its new
    value), for the officers of the open case to read."""
    if not changes:
        raise InvalidRequest(_("Nothing changed."))
    return run(REPORT_CHANGE, Call(case_id, actor, idempotency_key, now=now), {"changes": changes})


def send_inquiry(
    *,
    case_id: UUID,
    actor: User,
    thread: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Record a client's question about an application past its inquiry date; the
    question itself is the conversation `thread` (its public id)."""
    return run(SEND_INQUIRY, Call(case_id, actor, idempotency_key, now=now), {"thread": thread})
