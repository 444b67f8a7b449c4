"""Writes from the tracker: a client answers a document request from their case page (one
still open: a decided or withdrawn application asks nothing more)."""

from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case, CaseEvent
from passage.cases.selectors import cases_visible_to
from passage.cases.services import CommandResult, receive_documents, refuse_closed_request
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    VirusFound,
    check_document,
    stored_for_request,
)
from passage.intake.models import Document

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
        result = check_document(
            DocumentUpload(kind="requested", filename=filename, content=content)
        )
        if isinstance(result, str):
            message = _("%(file)s: %(problem)s") % {"file": filename, "problem": result}
            raise InvalidRequest(message, errors={"documents": message})
        checked.append(result)
    # A replay (a double click, a retried request) is answered by `receive_documents`
    # with the first result: its files were scanned and stored the first time.
    replay = CaseEvent.objects.filter(
        case__public_id=case_id, actor=person, idempotency_key=idempotency_key
    ).exists()
    try:
        with stored_for_request([] if replay else checked) as stored:

            def attach(case: Case, when: datetime) -> None:
                Document.objects.bulk_create(
                    Document(
                        application_id=case.application_id,
                        kind=f"request-{request_id}",
                        **document.stored_as(key),
                        uploaded_at=when,
                    )
                    for document, key in stored
                )

            return receive_documents(
                case_id=case_id,
                actor=person,
                request_id=request_id,
                documents=[
                    {"filename": d.filename, "sha256": d.sha256, "size": len(d.content)}
                    for d in checked
                ],
                idempotency_key=idempotency_key,
                attach=attach,
                now=at,
            )
    except VirusFound as refused:
        message = _("%(file)s: %(problem)s") % {
            "file": refused.document.filename,
            "problem": VIRUS_FOUND,
        }
        raise InvalidRequest(message, errors={"documents": message}) from None
