"""Submission: the moment an application becomes a case with a reference number."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage import clock, idempotency
from passage.accounts.models import User
from passage.cases.chain import canonical_json
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.events import append_event
from passage.cases.models import Case, CaseParty
from passage.cases.reference import new_reference
from passage.cases.status import ActorRole, CaseStatus, EventKind, PartyRole
from passage.intake.documents import (
    VIRUS_FOUND,
    CheckedDocument,
    DocumentUpload,
    VirusFound,
    check_document,
    stored_for_request,
)
from passage.intake.flows.countries import COUNTRIES
from passage.intake.models import Application, ApplicationAnswers, Document, Program
from passage.intake.representation import share_case_with_representatives
from passage.intake.signals import application_submitted
from passage.outbox.links import sign_in_url
from passage.outbox.services import queue_email

MAX_DOCUMENTS = 50
# The facts of type `country` that programs' rules read (programs/*/rules.yaml). An answer
# may give one apart from the typed field: an eTA's is the passport's country.
COUNTRY_FACTS = ("citizenship",)


@dataclass(frozen=True)
class Submission:
    case: Case
    replayed: bool


# An application sent again with its key is the first case; another one, a conflict.
SUBMISSION_REPLAYS = idempotency.Replays(
    rows=lambda: Application.objects.select_related("case"),
    actor_field="submitted_by",
    error=IdempotencyConflict,
    conflict=gettext_lazy("This idempotency key was already used for a different application."),
    result=lambda application: Submission(case=application.case, replayed=True),
)


def submit_application(
    *,
    submitter: User,
    program_code: str,
    category: str,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    citizenship: str,
    email: str,
    preferred_language: str,
    answers: dict[str, Any],
    documents: list[DocumentUpload],
    idempotency_key: str,
    now: datetime | None = None,
    applicant: User | None = None,
) -> Submission:
    """Validate an application and, in one transaction, write it with its answers, its
    document records, its case, the first event and the confirmation email.

    `applicant` is the client the application is for when a representative submits it
    (the caller has checked the authorisation); by default the submitter applies for
    themselves. The client's authorised representatives get access to the new case.

    The same key and the same request return the first case (`replayed=True`); the same
    key with a different request is an IdempotencyConflict; concurrent duplicates make
    one case. Nothing is written when validation fails.
    """
    at = now or clock.now()
    if submitter.is_department_staff or (applicant is not None and applicant.is_department_staff):
        # A staff account never becomes a party: no one works a file that concerns them.
        raise NotPermitted(
            _(
                "Department staff cannot apply from their staff account. "
                "Apply with a personal account."
            )
        )
    fields = {
        "program": program_code,
        "category": category,
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "date_of_birth": date_of_birth,
        "citizenship": citizenship.strip().upper(),
        "email": email.strip(),
        "preferred_language": preferred_language,
        "answers": answers,
    }
    idempotency.check_key(idempotency_key, error=InvalidRequest)
    checked = _check_documents(documents)
    request_hash = _request_hash(fields, checked)
    # A key seen before is found by the unique constraint on (submitter, key) rather than
    # by a look-up ahead of every submission: the answer is the same (a replay or a
    # conflict, whatever the request looks like now), and a new key costs no extra query.
    try:
        program = _validate(fields, at)
    except InvalidRequest:
        earlier = SUBMISSION_REPLAYS.earlier(submitter, idempotency_key)
        if earlier is None:
            raise
        return SUBMISSION_REPLAYS.replay(earlier, request_hash)
    try:
        with stored_for_request(checked) as stored:

            def write() -> Submission:
                client = applicant or submitter
                case = _write(
                    submitter, client, program, fields, stored, idempotency_key, request_hash, at
                )
                return Submission(case=case, replayed=False)

            # The key was used before, or a concurrent request with it won the race: the
            # first case (or a conflict, and this request's files are removed again).
            return SUBMISSION_REPLAYS.write(
                write, actor=submitter, key=idempotency_key, request_hash=request_hash
            )
    except VirusFound as refused:
        index = checked.index(refused.document)
        raise InvalidRequest(
            _("A document could not be accepted."),
            errors={f"documents[{index}]": f"{refused.document.filename}: {VIRUS_FOUND}"},
        ) from None


def _request_hash(fields: dict[str, Any], documents: list[CheckedDocument]) -> str:
    body = {
        **fields,
        "documents": [[d.kind, d.filename, d.sha256] for d in documents],
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def _check_documents(documents: list[DocumentUpload]) -> list[CheckedDocument]:
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidRequest(
            _("Attach at most %(count)s documents.") % {"count": MAX_DOCUMENTS},
            errors={"documents": _("Too many documents.")},
        )
    checked: list[CheckedDocument] = []
    errors: dict[str, str] = {}
    for index, upload in enumerate(documents):
        result = check_document(upload)
        if isinstance(result, str):
            errors[f"documents[{index}]"] = f"{upload.filename}: {result}"
        else:
            checked.append(result)
    if errors:
        raise InvalidRequest(_("A document could not be accepted."), errors=errors)
    return checked


def _validate(fields: dict[str, Any], at: datetime, *, paper: bool = False) -> Program:
    """The program applied to, or InvalidRequest naming each field in error. A paper form
    may leave out the country of citizenship and the email address (its document has
    no such field, and a client may write without one)."""
    errors: dict[str, str] = {}
    program = Program.objects.filter(code=fields["program"], is_open=True).first()
    if program is None:
        errors["program"] = _("There is no open program with this code.")
    elif program.categories and fields["category"] not in program.categories:
        errors["category"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(program.categories)
        }
    for name in ("given_name", "family_name"):
        if not fields[name] or len(fields[name]) > 100:
            errors[name] = _("Enter a name of 1 to 100 characters.")
    birth: date = fields["date_of_birth"]
    if birth > at.date():
        errors["date_of_birth"] = _("The date of birth cannot be in the future.")
    elif birth.year < 1900:
        errors["date_of_birth"] = _("Enter a date of birth after 1900.")
    if fields["citizenship"] not in COUNTRIES and not (paper and fields["citizenship"] == ""):
        errors["citizenship"] = _(
            "Enter a country as its ISO 3166-1 two-letter code, such as FR or JP."
        )
    try:
        if fields["email"] or not paper:
            validate_email(fields["email"])
    except ValidationError:
        errors["email"] = _("Enter an email address such as name@example.com.")
    if fields["preferred_language"] not in ("en", "fr"):
        errors["preferred_language"] = _("Choose English (en) or French (fr).")
    if not isinstance(fields["answers"], dict):
        errors["answers"] = _("Answers must be an object of question names and answers.")
    elif len(canonical_json(fields["answers"]).encode()) > settings.PASSAGE_MAX_ANSWERS_BYTES:
        errors["answers"] = _("The answers are larger than %(size)s KB as JSON.") % {
            "size": settings.PASSAGE_MAX_ANSWERS_BYTES // 1024
        }
    else:
        errors.update(_country_fact_errors(fields["answers"]))
    if errors or program is None:
        raise InvalidRequest(_("The application has errors."), errors=errors)
    return program


def _country_fact_errors(answers: dict[str, Any]) -> dict[str, str]:
    """An error for each country fact of the answers that is not an ISO 3166-1 code in
    capitals: triage hands the answers to the rules as they are."""
    errors = {}
    for name in COUNTRY_FACTS:
        value = answers.get(name)
        if value is not None and not (isinstance(value, str) and value in COUNTRIES):
            errors[f"answers.{name}"] = _(
                "Enter a country as its ISO 3166-1 two-letter code, such as FR or JP."
            )
    return errors


def _write(
    submitter: User,
    applicant: User,
    program: Program,
    fields: dict[str, Any],
    stored: list[tuple[CheckedDocument, str]],
    idempotency_key: str,
    request_hash: str,
    at: datetime,
    *,
    actor_role: ActorRole | None = None,
    event_details: dict[str, Any] | None = None,
    confirm_by_email: bool = True,
) -> Case:
    """The application, its answers and documents, its case, the first event and the
    confirmation email. The event is done in the client's role unless `actor_role`
    says otherwise (a clerk keying a paper form); `event_details` add to its payload."""
    application = Application.objects.create(
        program=program,
        category=fields["category"],
        applicant=applicant,
        submitted_by=submitter,
        given_name=fields["given_name"],
        family_name=fields["family_name"],
        date_of_birth=fields["date_of_birth"],
        citizenship=fields["citizenship"],
        email=fields["email"],
        preferred_language=fields["preferred_language"],
        submitted_at=at,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    ApplicationAnswers.objects.create(
        application=application,
        version=1,
        answers=fields["answers"],
        recorded_at=at,
        recorded_by=submitter,
    )
    Document.objects.bulk_create(
        Document(
            application=application,
            kind=document.kind,
            **document.stored_as(key),
            uploaded_at=at,
        )
        for document, key in stored
    )
    case = Case(
        reference=new_reference(),
        application=application,
        program=program,
        category=fields["category"],
        language=fields["preferred_language"],
        status=CaseStatus.RECEIVED,
        status_changed_at=at,
        received_at=at,
    )
    case.save()
    client_role = PartyRole(program.submitter_role)
    CaseParty.objects.create(case=case, person=applicant, role=client_role, granted_at=at)
    append_event(
        case=case,
        kind=EventKind.SUBMITTED,
        actor=submitter,
        actor_role=actor_role
        or (
            ActorRole(client_role.value)
            if submitter.pk == applicant.pk
            else ActorRole.REPRESENTATIVE
        ),
        occurred_at=at,
        payload={
            "program": program.code,
            "category": fields["category"],
            "answers_version": 1,
            "documents": [
                {"kind": d.kind, "filename": d.filename, "sha256": d.sha256, "size": len(d.content)}
                for d, _key in stored
            ],
            **(event_details or {}),
        },
        idempotency_key=idempotency_key,
    )
    case.save(update_fields=["last_event_sequence", "last_event_hash", "version"])
    if confirm_by_email:
        _confirm_by_email(case, fields, at)
    share_case_with_representatives(client=applicant, case=case, now=at)
    application_submitted.send(sender=Application, case=case)
    return case


def _confirm_by_email(case: Case, fields: dict[str, Any], at: datetime) -> None:
    queue_email(
        kind="application.received",
        case=case,
        to_email=fields["email"],
        language=fields["preferred_language"],
        template="application_received",
        context={
            "reference": case.reference,
            "link": sign_in_url(language=fields["preferred_language"]),
        },
        now=at,
    )
