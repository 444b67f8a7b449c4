"""Drafts: answers saved page by page on the server, resumed, discarded or submitted.

Each command takes the person acting and finds the draft among theirs only, so someone
else's draft is "not found". Documents are checked, scanned and stored one by one as
they are uploaded (`add_document`). Submission goes through `submit_application`, with
the documents read back from storage, and a key derived from the draft: a second
submit, a double click or a back-button resubmit gets the same case, and nothing is
written twice.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from passage import clock, errors
from passage.accounts.models import User
from passage.cases.errors import CaseError, InvalidRequest, StaleVersion
from passage.intake.catalogue import ChecklistItem, document_checklist
from passage.intake.documents import (
    VIRUS_FOUND,
    DocumentUpload,
    VirusFound,
    check_document,
    read_whole,
    stored_for_request,
)
from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.intake.models import Draft, DraftDocument, Program, Representation
from passage.intake.selectors import active_client
from passage.intake.services import Submission, submit_application
from passage.languages import active_language
from passage.programs.questions import Flow


class DraftNotFound(CaseError, errors.NotFound):
    """No such draft, program or client within the person's reach."""


class DraftSubmitted(CaseError, errors.Conflict):
    """The draft was submitted already: it no longer changes."""


def open_programs() -> list[Program]:
    """Programs a person can apply to here: open, and with a question flow."""
    return [
        program
        for program in Program.objects.filter(is_open=True).order_by("code")
        if flow_for(program.code) is not None
    ]


def drafts_within_reach(person: User) -> QuerySet[Draft]:
    """The person's own drafts and, for a representative, the drafts of every client who
    authorises them now: a revoked authorisation takes the client's drafts away at once."""
    represented = Representation.objects.filter(
        client=OuterRef("owner"), representative=person, revoked_at__isnull=True
    )
    return Draft.objects.filter(Q(owner=person) | Exists(represented))


def drafts_of(person: User) -> list[Draft]:
    """The drafts and submitted applications within the person's reach, the latest first."""
    return list(
        drafts_within_reach(person)
        .select_related("program", "case", "owner")
        .order_by("-updated_at")
    )


def get_draft(*, person: User, draft_id: UUID) -> Draft:
    """A draft within the person's reach; anyone else's is DraftNotFound, as a missing one."""
    draft = (
        drafts_within_reach(person)
        .select_related("program", "case", "owner")
        .filter(public_id=draft_id)
        .first()
    )
    if draft is None:
        raise DraftNotFound(_("There is no such application."))
    return draft


def draft_flow(draft: Draft) -> Flow:
    flow = flow_for(draft.program.code)
    if flow is None:
        raise DraftNotFound(_("This program has no questions to answer online."))
    return flow


def start_draft(
    *,
    person: User,
    program_code: str,
    now: datetime | None = None,
    representation_id: int | None = None,
) -> Draft:
    """A new, empty draft for an open program that has a question flow: the person's
    own, or, for a representative, one for the client of an active authorisation."""
    at = now or clock.now()
    program = Program.objects.filter(code=program_code, is_open=True).first()
    flow = flow_for(program_code)
    if program is None or flow is None:
        raise DraftNotFound(_("There is no open program with this code."))
    owner = person
    if representation_id is not None:
        client = active_client(representative=person, representation_id=representation_id)
        if client is None:
            raise DraftNotFound(_("There is no such client."))
        owner = client
    return Draft.objects.create(
        owner=owner,
        prepared_by=person if owner.pk != person.pk else None,
        program=program,
        current_page=flow.pages[0].id,
        created_at=at,
        updated_at=at,
    )


def save_page(
    *,
    person: User,
    draft_id: UUID,
    page_id: str,
    values: dict[str, Any],
    expected_version: int,
    stay: bool = False,
    now: datetime | None = None,
) -> Draft:
    """Store one page's checked answers and move the draft's place on (or keep it on the
    page with `stay`, for "come back later"). Sending the same answers again is harmless;
    answers sent from an older copy of the draft, that would change it, are StaleVersion
    (another window saved first)."""
    at = now or clock.now()
    with transaction.atomic():
        draft = _locked(person, draft_id)
        if draft.submitted:
            raise DraftSubmitted(_("This application was submitted already."))
        unchanged = all(draft.answers.get(key) == value for key, value in values.items())
        if unchanged and draft.current_page and expected_version <= draft.version:
            if expected_version == draft.version:
                draft.current_page = page_id if stay else _place_after(draft, page_id)
                draft.save(update_fields=["current_page"])
            return draft
        if expected_version != draft.version:
            raise StaleVersion(
                _("These answers were changed in another window. Check them and save again.")
            )
        draft.answers = {**draft.answers, **values}
        if "category" in values:
            draft.category = values["category"] or ""
        draft.current_page = page_id if stay else _place_after(draft, page_id)
        draft.version += 1
        draft.updated_at = at
        draft.save()
        return draft


def _place_after(draft: Draft, page_id: str) -> str:
    flow = draft_flow(draft)
    following = engine.next_page(flow, draft.answers, after=page_id, on=clock.now().date())
    return following.id if following is not None else ""


def resume_page(draft: Draft) -> str | None:
    """The page to go back to: the one the person left, if it is still asked, else the
    first one not answered, or None for check answers."""
    flow = draft_flow(draft)
    left = flow.page(draft.current_page) if draft.current_page else None
    if left is not None and engine.is_shown(flow, left, draft.answers, on=clock.now().date()):
        return left.id
    page = engine.first_unanswered(flow, draft.answers, on=clock.now().date())
    return page.id if page is not None else None


def discard_draft(*, person: User, draft_id: UUID) -> None:
    """Delete a draft that was not submitted."""
    with transaction.atomic():
        draft = _locked(person, draft_id)
        if draft.submitted:
            raise DraftSubmitted(_("A submitted application cannot be deleted."))
        draft.delete()


def checklist(draft: Draft) -> tuple[ChecklistItem, ...]:
    """The documents the draft's program asks for."""
    return document_checklist(draft.program.code)


def draft_documents(draft: Draft) -> dict[str, DraftDocument]:
    """The documents uploaded to the draft, by checklist kind."""
    return {document.kind: document for document in draft.documents.all()}


def missing_documents(draft: Draft) -> list[ChecklistItem]:
    """The required checklist items that have no document yet."""
    uploaded = draft_documents(draft)
    return [item for item in checklist(draft) if item.required and item.kind not in uploaded]


def add_document(
    *,
    person: User,
    draft_id: UUID,
    kind: str,
    filename: str,
    content: bytes,
    now: datetime | None = None,
) -> DraftDocument:
    """Check, scan and store one file for a checklist item, then record it; a file sent
    again for the same item replaces the one before. The bytes are stored (and, on disk,
    fsynced) under a key made of their hash before the row is written, and a file that
    is refused writes nothing: an InvalidRequest says why, in the person's language."""
    at = now or clock.now()
    draft = get_draft(person=person, draft_id=draft_id)
    if draft.submitted:
        raise DraftSubmitted(_("This application was submitted already."))
    if kind not in {item.kind for item in checklist(draft)}:
        raise InvalidRequest(_("This program does not ask for this document."))
    checked = check_document(DocumentUpload(kind=kind, filename=filename, content=content))
    if isinstance(checked, str):
        raise InvalidRequest(checked, errors={kind: checked})
    try:
        with stored_for_request([checked]) as [(_stored, key)], transaction.atomic():
            draft = _locked(person, draft_id)
            if draft.submitted:
                raise DraftSubmitted(_("This application was submitted already."))
            DraftDocument.objects.filter(draft=draft, kind=kind).delete()
            document = DraftDocument.objects.create(
                draft=draft,
                kind=kind,
                **checked.stored_as(key),
                uploaded_at=at,
            )
            draft.updated_at = at
            draft.save(update_fields=["updated_at"])
    except VirusFound:
        raise InvalidRequest(str(VIRUS_FOUND), errors={kind: str(VIRUS_FOUND)}) from None
    return document


def remove_document(*, person: User, draft_id: UUID, kind: str) -> None:
    """Take a document off the draft. The bytes stay in storage: another draft may hold
    the same file under the same key."""
    with transaction.atomic():
        draft = _locked(person, draft_id)
        if draft.submitted:
            raise DraftSubmitted(_("This application was submitted already."))
        DraftDocument.objects.filter(draft=draft, kind=kind).delete()


def _uploads(draft: Draft) -> list[DocumentUpload]:
    """The draft's documents read back from storage, in checklist order, each checked
    against the SHA-256 recorded when it was uploaded."""
    order = {item.kind: index for index, item in enumerate(checklist(draft))}
    documents = sorted(draft.documents.all(), key=lambda d: (order.get(d.kind, len(order)), d.kind))
    uploads = []
    damaged = {}
    for document in documents:
        content = read_whole(document.storage_key, document.sha256)
        if content is None:
            # Never submitted as it is: a copy cut short before saves were atomic, or lost.
            damaged[f"document-{document.kind}"] = _(
                "The saved copy of “%(file)s” is damaged. Upload it again."
            ) % {"file": document.filename}
        else:
            uploads.append(DocumentUpload(document.kind, document.filename, content))
    if damaged:
        raise InvalidRequest(
            _("A saved document is damaged. Upload it again before you submit."),
            errors=damaged,
        )
    return uploads


def submit_draft(*, person: User, draft_id: UUID, now: datetime | None = None) -> Submission:
    """Submit the draft's answers as an application, once. A submitted draft answers
    with its case (`replayed=True`); unanswered questions are an InvalidRequest."""
    at = now or clock.now()
    with transaction.atomic():
        # The client's row first, as authorising and revoking a representative take it:
        # a revocation then either comes before (and the draft is out of reach) or after
        # (and it sees the new case to take away).
        owner_id = drafts_within_reach(person).filter(public_id=draft_id).values("owner_id")
        User.objects.select_for_update().filter(pk__in=owner_id).first()
        draft = _locked(person, draft_id)
        if draft.case is not None:
            return Submission(case=draft.case, replayed=True)
        flow = draft_flow(draft)
        missing = engine.incomplete_pages(flow, draft.answers, on=at.date())
        if missing:
            raise InvalidRequest(
                _("Answer every question before you submit."),
                errors={page.id: _("This page is not answered yet.") for page in missing},
            )
        absent = missing_documents(draft)
        if absent:
            raise InvalidRequest(
                _("Upload every required document before you submit."),
                errors={
                    f"document-{item.kind}": _("Upload a file for “%(document)s”.")
                    % {"document": item.name(active_language())}
                    for item in absent
                },
            )
        built = engine.submission(flow, draft.answers, submitted_on=at.date())
        fields = built.fields
        result = submit_application(
            submitter=person,
            program_code=draft.program.code,
            category=fields.get("category", ""),
            given_name=fields["given_name"],
            family_name=fields["family_name"],
            date_of_birth=fields["date_of_birth"],
            citizenship=fields["citizenship"],
            email=fields["email"],
            preferred_language=fields.get("preferred_language") or "en",
            answers=built.answers,
            documents=_uploads(draft),
            idempotency_key=f"draft:{draft.public_id}",
            now=at,
            applicant=draft.owner,
        )
        draft.case = result.case
        draft.current_page = ""
        draft.updated_at = at
        draft.save(update_fields=["case", "current_page", "updated_at"])
        return result


def _locked(person: User, draft_id: UUID) -> Draft:
    draft = (
        drafts_within_reach(person)
        .select_for_update(of=("self",))
        .select_related("program", "owner")
        .filter(public_id=draft_id)
        .first()
    )
    if draft is None:
        raise DraftNotFound(_("There is no such application."))
    return draft
