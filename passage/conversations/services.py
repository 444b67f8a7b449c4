"""Writes of secure messages: start a conversation, reply, mark as read.

Each command runs in one transaction and answers a replay of its idempotency key with the
first message. Files are checked, scanned and stored before any row is written, so a
refused file leaves no message behind. A case the person may not see is
`Case.DoesNotExist`, and a conversation they may not see is `Thread.DoesNotExist`, as if
neither existed.
"""

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage import clock, idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.chain import canonical_json
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.notifications import notify_clients
from passage.cases.parties import acting_party, client_scope
from passage.cases.selectors import cases_visible_to
from passage.cases.status import PartyRole
from passage.conversations.access import visible_threads
from passage.conversations.models import (
    AuthorRole,
    Message,
    MessageAttachment,
    MessageRead,
    Thread,
)
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    VirusFound,
    check_document,
    stored_for_request,
)

MAX_SUBJECT = 200
MAX_BODY = 5000
MAX_ATTACHMENTS = 5
ATTACHMENT_KIND = "message-attachment"


@dataclass(frozen=True)
class Attachment:
    """A file as it arrived: the name the person gave it and its bytes."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Posted:
    message: Message
    replayed: bool


# A message sent again with its key is the first one; with other content, a conflict.
MESSAGE_REPLAYS = idempotency.Replays(
    rows=lambda: Message.objects.select_related("thread__case"),
    actor_field="author",
    error=IdempotencyConflict,
    conflict=gettext_lazy(
        "This message was sent already, with other content. Check the conversation."
    ),
    result=lambda message: Posted(message=message, replayed=True),
)


def start_thread(
    *,
    case_id: UUID,
    person: User,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    idempotency_key: str,
    now: datetime | None = None,
    kind: str = "message",
) -> Posted:
    """Open a conversation on a case with its first message (and any files). A client's
    conversation is with their side of the case (the applicant's, or the sponsor's);
    staff write to the side the program's applications come from. Staff posting queue a
    `new_message` email to each active client party on that side. `kind` "inquiry": a
    client's question past the inquiry date (`tracker.services.send_inquiry`)."""
    at = now or clock.now()
    subject, body = subject.strip(), body.strip()
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    case = _visible_case(person, case_id)
    checked = _check_attachments(attachments)
    request_hash = _request_hash(
        {"start": str(case.public_id), "subject": subject, "body": body}, checked
    )
    earlier = MESSAGE_REPLAYS.earlier(person, idempotency_key)
    if earlier is not None:
        return MESSAGE_REPLAYS.replay(earlier, request_hash)
    role = _author_role(person, case)
    errors = _text_errors(body)
    if not subject:
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = _("The subject must be %(count)s characters or fewer.") % {
            "count": MAX_SUBJECT
        }
    if errors:
        raise InvalidRequest(_("The message could not be sent."), errors=errors)
    with _stored_attachments(checked) as stored:

        def write() -> Message:
            locked = _visible_case(person, case_id, lock=True)
            thread = Thread.objects.create(
                case=locked,
                subject=subject,
                kind=kind,
                audience=_audience(person, locked),
                created_by=person,
                created_at=at,
                last_message_at=at,
            )
            return _write_message(
                thread, person, role, body, stored, idempotency_key, request_hash, at
            )

        return MESSAGE_REPLAYS.write(
            lambda: Posted(message=write(), replayed=False),
            actor=person,
            key=idempotency_key,
            request_hash=request_hash,
        )


def post_message(
    *,
    thread_id: UUID,
    person: User,
    body: str,
    attachments: Sequence[Attachment] = (),
    idempotency_key: str,
    now: datetime | None = None,
    case_id: UUID | None = None,
) -> Posted:
    """Reply in a conversation (with any files); `case_id`, if given, must be its case.
    Staff posting queue a `new_message` email to each active client party of the case."""
    at = now or clock.now()
    body = body.strip()
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    thread = _visible_thread(person, thread_id, case_id)
    checked = _check_attachments(attachments)
    request_hash = _request_hash({"reply": str(thread.public_id), "body": body}, checked)
    earlier = MESSAGE_REPLAYS.earlier(person, idempotency_key)
    if earlier is not None:
        return MESSAGE_REPLAYS.replay(earlier, request_hash)
    role = _author_role(person, thread.case)
    errors = _text_errors(body)
    if errors:
        raise InvalidRequest(_("The message could not be sent."), errors=errors)
    with _stored_attachments(checked) as stored:

        def write() -> Message:
            locked = _visible_thread(person, thread_id, case_id, lock=True)
            locked.last_message_at = max(locked.last_message_at, at)
            locked.save(update_fields=["last_message_at"])
            return _write_message(
                locked, person, role, body, stored, idempotency_key, request_hash, at
            )

        return MESSAGE_REPLAYS.write(
            lambda: Posted(message=write(), replayed=False),
            actor=person,
            key=idempotency_key,
            request_hash=request_hash,
        )


def mark_read(
    *, thread_id: UUID, person: User, now: datetime | None = None, case_id: UUID | None = None
) -> int:
    """Record that the person read every message of the conversation written by someone
    else; messages read before keep their first time. Returns how many were new.

    Staff count as readers only when the file is theirs or they wrote in the conversation:
    a supervisor looking over a file does not tell the client "read by the officer"."""
    at = now or clock.now()
    thread = _visible_thread(person, thread_id, case_id)
    if person.is_department_staff and not _staff_participant(thread, person):
        return 0
    with transaction.atomic():
        unread = list(
            Message.objects.filter(thread=thread)
            .exclude(author=person)
            .exclude(reads__person=person)
            .values_list("pk", flat=True)
        )
        # A concurrent opening of the same page may have recorded some already.
        MessageRead.objects.bulk_create(
            [MessageRead(message_id=pk, person=person, read_at=at) for pk in unread],
            ignore_conflicts=True,
        )
    return len(unread)


def _staff_participant(thread: Thread, person: User) -> bool:
    return (
        thread.case.assigned_to_id == person.pk
        or Message.objects.filter(thread=thread, author=person).exists()
    )


def _visible_case(person: User, case_id: UUID, *, lock: bool = False) -> Case:
    cases = cases_visible_to(person)
    if lock:
        cases = cases.select_for_update()
    return cases.get(public_id=case_id)


def _audience(person: User, case: Case) -> str:
    if person.is_department_staff:
        return PartyRole(case.program.submitter_role).value
    return (client_scope(person_id=person.pk, case=case) or PartyRole.APPLICANT).value


def _visible_thread(
    person: User, thread_id: UUID, case_id: UUID | None, *, lock: bool = False
) -> Thread:
    threads = visible_threads(person)
    if case_id is not None:
        threads = threads.filter(case__public_id=case_id)
    if lock:
        threads = threads.select_for_update(of=("self",))
    return threads.select_related("case").get(public_id=thread_id)


def _author_role(person: User, case: Case) -> AuthorRole:
    """The capacity the person writes in on this case: their staff role, or their party."""
    if person.is_department_staff:
        if person.has_role(Role.SUPERVISOR):
            return AuthorRole.SUPERVISOR
        if person.has_role(Role.OFFICER):
            return AuthorRole.OFFICER
        raise NotPermitted(_("Only officers and supervisors can send messages."))
    party = acting_party(case=case, person_id=person.pk)
    if party is None:
        raise Case.DoesNotExist("Case matching query does not exist.")
    return AuthorRole(party.value)


def _text_errors(body: str) -> dict[str, str]:
    if not body:
        return {"body": _("Enter a message.")}
    if len(body) > MAX_BODY:
        return {
            "body": _("The message must be %(count)s characters or fewer.") % {"count": MAX_BODY}
        }
    return {}


def _check_attachments(attachments: Sequence[Attachment]) -> list[CheckedDocument]:
    """Every file checked by its content; one bad file refuses the whole message."""
    if len(attachments) > MAX_ATTACHMENTS:
        message = _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
        raise InvalidRequest(message, errors={"attachment": message})
    checked = []
    for attachment in attachments:
        result = check_document(
            DocumentUpload(
                kind=ATTACHMENT_KIND, filename=attachment.filename, content=attachment.content
            )
        )
        if isinstance(result, str):
            message = f"{attachment.filename}: {result}" if attachment.filename else result
            raise InvalidRequest(message, errors={"attachment": message})
        checked.append(result)
    return checked


@contextmanager
def _stored_attachments(
    checked: list[CheckedDocument],
) -> Iterator[list[tuple[CheckedDocument, str]]]:
    """Scan every file first, then store each (durably) before any row refers to it; a
    message that is then refused leaves none of its files behind."""
    try:
        with stored_for_request(checked) as stored:
            yield stored
    except VirusFound:
        message = str(VIRUS_FOUND)
        raise InvalidRequest(message, errors={"attachment": message}) from None


def _request_hash(fields: dict[str, str], checked: list[CheckedDocument]) -> str:
    body = {**fields, "attachments": [[d.filename, d.sha256] for d in checked]}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _write_message(
    thread: Thread,
    person: User,
    role: AuthorRole,
    body: str,
    stored: list[tuple[CheckedDocument, str]],
    idempotency_key: str,
    request_hash: str,
    at: datetime,
) -> Message:
    message = Message.objects.create(
        thread=thread,
        author=person,
        author_role=role,
        body=body,
        sent_at=at,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    MessageAttachment.objects.bulk_create(
        MessageAttachment(
            message=message,
            **document.stored_as(key),
        )
        for document, key in stored
    )
    if role in (AuthorRole.OFFICER, AuthorRole.SUPERVISOR):
        _notify_clients(thread, at)
    return message


def _notify_clients(thread: Thread, at: datetime) -> None:
    """Tell each client of the case that a message waits, in their language. The email
    holds a link and nothing of the case: the message stays behind sign-in."""
    notify_clients(
        case=thread.case,
        template="new_message",
        kind="message.new",
        now=at,
        audience=PartyRole(thread.audience),
        path=lambda: reverse(
            "conversations:thread",
            kwargs={"case_id": thread.case.public_id, "thread_id": thread.public_id},
        ),
    )
