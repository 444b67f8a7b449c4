"""Writes from the tracker: a client answers a document request from their case page (one
still open: a decided or withdrawn application asks nothing more), sends documents nobody
asked for, asks about an application past its inquiry date, or withdraws it."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases import services as cases
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case, CaseEvent
from passage.cases.selectors import cases_visible_to
from passage.cases.services import CommandResult, receive_documents, refuse_closed_request
from passage.conversations import services as conversations
from passage.conversations.services import Posted
from passage.intake.document_names import SENT_BY_CLIENT, request_kind
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    VirusFound,
    check_document,
    stored_for_request,
)
from passage.intake.models import Document
from passage.languages import active_language, written_date
from passage.tracker.selectors import tracker_view
from passage.tracker.status_model import TrackerView

MAX_FILES = 10


def answer_document_request(
    *,
    person: User,
    case_id: UUID,
    request_id: int,
    files: list[tuple[str, bytes]],
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Send the files an officer asked for: each is checked by its content and scanned,
    all are stored, then one transaction adds them to the application, answers the
    request and records it in the case's log. One bad file sends none of them.

    A request closed when its application was decided or withdrawn is refused with a
    sentence that says so, before any file is read."""
    at = now or clock.now()
    # Scoped like every read: a case the person may not see does not exist for them.
    cases_visible_to(person).values_list("pk", flat=True).get(public_id=case_id)
    refuse_closed_request(case_id=case_id, request_id=request_id)
    return _with_files(
        person,
        case_id,
        files,
        idempotency_key,
        kind=request_kind(request_id),
        record=lambda documents, attach: receive_documents(
            case_id=case_id,
            actor=person,
            request_id=request_id,
            documents=documents,
            idempotency_key=idempotency_key,
            attach=attach,
            now=at,
        ),
    )


def send_documents(
    *,
    person: User,
    case_id: UUID,
    description: str,
    files: list[tuple[str, bytes]],
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Send documents nobody asked for, saying what they are: checked, scanned and stored
    as an answer to a request is, then added to the application with an event that the
    officers of the file read. One bad file sends none of them."""
    at = now or clock.now()
    cases_visible_to(person).values_list("pk", flat=True).get(public_id=case_id)
    description = description.strip()
    return _with_files(
        person,
        case_id,
        files,
        idempotency_key,
        kind=SENT_BY_CLIENT,
        description=description,
        record=lambda documents, attach: cases.send_documents(
            case_id=case_id,
            actor=person,
            description=description,
            documents=documents,
            idempotency_key=idempotency_key,
            attach=attach,
            now=at,
        ),
    )


# The command that records files a client sends, given their description for the log and
# the function that writes their rows in its transaction.
Record = Callable[[list[dict[str, Any]], Callable[[Case, datetime], None]], CommandResult]


def _with_files(
    person: User,
    case_id: UUID,
    files: list[tuple[str, bytes]],
    idempotency_key: str,
    *,
    kind: str,
    record: Record,
    description: str = "",
) -> CommandResult:
    """Check every file by its content, scan and store them all, then have `record` add
    them to the application as documents of `kind` in the transaction of its event."""
    if not files:
        raise InvalidRequest(
            _("Choose at least one file."), errors={"documents": _("Choose at least one file.")}
        )
    if len(files) > MAX_FILES:
        raise InvalidRequest(
            _("Send at most 10 files at once."),
            errors={"documents": _("Send at most 10 files at once.")},
        )
    checked: list[CheckedDocument] = []
    for filename, content in files:
        result = check_document(DocumentUpload(kind=kind, filename=filename, content=content))
        if isinstance(result, str):
            message = _("%(file)s: %(problem)s") % {"file": filename, "problem": result}
            raise InvalidRequest(message, errors={"documents": message})
        checked.append(result)
    # A replay (a double click, a retried request) is answered by the command with the
    # first result: its files were scanned and stored the first time.
    replay = CaseEvent.objects.filter(
        case__public_id=case_id, actor=person, idempotency_key=idempotency_key
    ).exists()
    try:
        with stored_for_request([] if replay else checked) as stored:

            def attach(case: Case, when: datetime) -> None:
                Document.objects.bulk_create(
                    Document(
                        application_id=case.application_id,
                        kind=kind,
                        description=description,
                        **document.stored_as(key),
                        uploaded_at=when,
                    )
                    for document, key in stored
                )

            return record(
                [
                    {"filename": d.filename, "sha256": d.sha256, "size": len(d.content)}
                    for d in checked
                ],
                attach,
            )
    except VirusFound as refused:
        message = _("%(file)s: %(problem)s") % {
            "file": refused.document.filename,
            "problem": VIRUS_FOUND,
        }
        raise InvalidRequest(message, errors={"documents": message}) from None


def withdraw_application(
    *,
    person: User,
    case_id: UUID,
    reason: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Withdraw an open application at its client's request, from the tracker: the case
    ends, its open document requests close, and the withdrawal letter is issued (all by
    the case's `withdraw_application` command). Only a client party of the case may."""
    # Scoped like every read: a case the person may not see does not exist for them.
    cases_visible_to(person).values_list("pk", flat=True).get(public_id=case_id)
    return cases.withdraw_application(
        case_id=case_id,
        actor=person,
        reason=reason,
        idempotency_key=idempotency_key,
        now=now,
    )


def may_inquire(view: TrackerView, *, today: date) -> bool:
    """Whether a client may ask about their application: it is open and its inquiry date
    (`tracker.estimates`) has come."""
    inquiry_date = view.estimate.inquiry_date
    return view.is_open and inquiry_date is not None and today >= inquiry_date


def send_inquiry(
    *,
    person: User,
    case_id: UUID,
    question: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> Posted:
    """A client's question about an application past its inquiry date: a conversation of
    the kind "inquiry" with the question, and an event on the case, together; the file's
    officer sees it in their queue until the department answers. Before the inquiry date,
    or once the case has ended, it is refused with the day it becomes possible."""
    at = now or clock.now()
    view = tracker_view(person=person, case_id=case_id, now=at, language=active_language())
    if person.is_department_staff:
        raise Case.DoesNotExist("Case matching query does not exist.")
    if not may_inquire(view, today=timezone.localdate(at)):
        inquiry_date = view.estimate.inquiry_date
        raise InvalidRequest(
            _("You can ask about your application from %(date)s.")
            % {"date": written_date(inquiry_date, active_language())}
            if view.is_open and inquiry_date is not None
            else _("This application has ended: ask in a message instead.")
        )
    with transaction.atomic():
        posted = conversations.start_thread(
            case_id=case_id,
            person=person,
            subject=str(_("Question about my application")),
            body=question,
            idempotency_key=idempotency_key,
            now=at,
            kind="inquiry",
        )
        cases.send_inquiry(
            case_id=case_id,
            actor=person,
            thread=str(posted.message.thread.public_id),
            idempotency_key=idempotency_key,
            now=at,
        )
    return posted
