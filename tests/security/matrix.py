"""The pieces of the access matrix (`test_access_matrix.py`): the people it asks as, the
case and everything on it built through the real services, the request of one cell (rolled
back after it, so that every cell starts from the same world), the outcome of a response
as a short word, the tables as text, and the walk of the URL map that keeps the matrix
complete."""

import copy
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.accounts.services import grant_roles
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.status import PartyRole, Step
from passage.conversations import services as conversations
from passage.conversations.models import Message, MessageAttachment, MessageRead, Thread
from passage.correspondence import services as mail_services
from passage.correspondence.models import InboundEmail
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from passage.intake.flows import engine
from passage.intake.models import Application, Document, Draft, Program, Representation
from passage.intake.representation import authorise_representative, revoke_representation
from passage.letters.models import DecisionLetter
from passage.outbox.models import OutboxMessage
from passage.paperforms import services as paper_services
from passage.paperforms.models import PaperScan
from passage.residence import review
from passage.residence.models import Confirmation
from passage.tracker import linking
from passage.tracker.models import LinkRequest
from tests.accounts.builders import api_token, signed_in_with_mfa
from tests.builders import (
    MINIMAL_PDF,
    create_office,
    create_user,
    iec_answers,
    one_page_pdf,
    png_image,
    submit_case,
)
from tests.correspondence.messages import client_email as client_email_bytes
from tests.intake.builders import fill_draft
from tests.paperforms.builders import document as paper_document
from tests.paperforms.builders import printed, scanned
from tests.residence.builders import DETAILS, approved_sponsorship, ready_for_review
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

# --- The people ---------------------------------------------------------------------------

# The rows of the page tables, in the order of their columns.
PEOPLE = {
    "anon": "signed out",
    "owner": "the applicant who owns the case (and the draft, and the link request)",
    "sponsor": "the case's sponsor (a sponsor party), who also applied as the sponsor of a "
    "sponsorship case of their own",
    "rep-a": "a representative the applicant authorised (acts for the applicant)",
    "rep-s": "a representative the sponsor authorised (acts for the sponsor, on both cases)",
    "revoked": "a representative the applicant authorised, then revoked",
    "stranger": "an applicant unrelated to the case",
    "officer": "the officer of the processing office the file is assigned to, second factor passed",
    "no-mfa": "the same officer, signed in without the second factor",
    "conflict": "an officer who is a party to the case (a sponsor since hired)",
    "sup": "a supervisor of the processing office, second factor passed",
    "sup-else": "a supervisor of another office, second factor passed",
    "analyst": "a policy analyst, second factor passed",
    "inactive": "a representative the applicant authorised, whose account was deactivated",
}
# The rows of the API table: each person's bearer token, except where said.
API_PEOPLE = {
    "anon": "no credentials",
    "bad-token": "a bearer token that is nobody's",
    **{key: PEOPLE[key] for key in ("owner", "sponsor", "rep-a", "rep-s", "revoked", "stranger")},
    "officer": PEOPLE["officer"],
    "officer-session": "the officer's browser session, second factor passed",
    "no-mfa": "the officer's browser session, without the second factor",
    "no-device": "the token of an officer of the office whose authenticator app was removed",
    **{key: PEOPLE[key] for key in ("conflict", "sup", "sup-else", "analyst")},
    "inactive": "the deactivated representative's token, issued while the account was active",
}


# --- The world ----------------------------------------------------------------------------


@dataclass
class World:
    """One case with everyone and everything on it, and a signed-in client per person."""

    case: Case
    # The stranger's own case, which they withdrew: it has its withdrawal letter.
    other_case: Case
    other_letter: DecisionLetter
    # The sponsor's own family sponsorship (the sponsor is the party who applied), with a
    # conversation an officer started on it (with the sponsor's side, the only one).
    sponsorship: Case
    sponsorship_thread: Thread
    people: dict[str, User]
    page_clients: dict[str, Client]
    api_clients: dict[str, Client]
    medical_request: DocumentRequest
    eligibility_request: DocumentRequest
    applicant_thread: Thread
    applicant_attachment: MessageAttachment
    sponsor_thread: Thread
    sponsor_attachment: MessageAttachment
    draft: Draft
    link_request: LinkRequest
    representation: Representation
    # A paper form the supervisor received and filed (paper intake pages).
    paper_scan: PaperScan
    # An email from the owner naming the case, received and read (correspondence pages).
    client_email: InboundEmail
    # The owner invited to confirm permanent residence on two approved sponsorships: one
    # confirmation sent for review, one confirmed with its eCOPR.
    confirmation: Confirmation
    landed: Confirmation
    # One object of each model the admin's pages show, for the admin's columns.
    admin_objects: dict[type[models.Model], models.Model] = field(default_factory=dict)
    # Where the world's files are (the default storage's settings).
    storage: dict[str, Any] = field(default_factory=dict)


EXAM_REPORT = b"BT /F1 12 Tf 72 720 Td (Medical exam report) Tj ET"


def _filed_paper_form(clerk: User) -> PaperScan:
    """A paper form received yesterday and filed, through the paper intake services."""
    received = clock.now().astimezone(ZoneInfo("America/Toronto")).date() - timedelta(days=1)
    scan = paper_services.receive_scan(
        clerk=clerk,
        filename="form.png",
        content=scanned(printed(paper_document())[1]),
        received_on=received,
        received_by="mail",
        **key(),
    )
    paper_services.file_scan(clerk=clerk, scan_id=scan.public_id, **key())
    scan.refresh_from_db()
    return scan


def build_world() -> World:
    """Everything built through the services, as in production."""
    load_programs()
    # Ottawa processes the program: its officer has the file, the other office does not.
    Program.objects.filter(code="iec").update(processing_offices=["ottawa"])
    officer = create_skilled_officer(office="ottawa")
    owner = create_user(Role.APPLICANT)
    # Funds below the minimum: the eligibility step waits for an officer (tier 2).
    case = ready_case(submitter=owner, answers=iec_answers(funds_cad=1200))
    cases.assign_officer(
        case_id=case.public_id, actor=SYSTEM, officer=officer, reasons={"score": 1}, **key()
    )

    sponsor = create_user(Role.SPONSOR)
    cases.grant_access(
        case_id=case.public_id, actor=SYSTEM, person=sponsor, role=PartyRole.SPONSOR, **key()
    )
    rep_s = create_user(Role.REPRESENTATIVE)
    authorise_representative(client=sponsor, email=rep_s.email)
    sponsorship_draft = drafts.start_draft(person=sponsor, program_code="family-sponsor")
    fill_draft(sponsor, sponsorship_draft, "family-sponsor")
    sponsorship = drafts.submit_draft(person=sponsor, draft_id=sponsorship_draft.public_id).case
    rep_a = create_user(Role.REPRESENTATIVE)
    representation = authorise_representative(client=owner, email=rep_a.email)
    revoked = create_user(Role.REPRESENTATIVE)
    revoke_representation(
        client=owner,
        representation_id=authorise_representative(client=owner, email=revoked.email).pk,
    )
    inactive = create_user(Role.REPRESENTATIVE)
    authorise_representative(client=owner, email=inactive.email)

    # A sponsor of the case who was later hired as an officer, at the same office.
    conflicted = create_user(Role.SPONSOR)
    cases.grant_access(
        case_id=case.public_id, actor=SYSTEM, person=conflicted, role=PartyRole.SPONSOR, **key()
    )
    grant_roles(user=conflicted, roles=[Role.OFFICER])
    conflicted.office = officer.office
    conflicted.save(update_fields=["office"])

    stranger = create_user(Role.APPLICANT)
    other_case = submit_case(stranger)
    cases.withdraw_application(case_id=other_case.public_id, actor=stranger, **key())
    supervisor = create_supervisor("ottawa")
    people = {
        "owner": owner,
        "sponsor": sponsor,
        "rep-a": rep_a,
        "rep-s": rep_s,
        "revoked": revoked,
        "stranger": stranger,
        "officer": officer,
        "conflict": conflicted,
        "sup": supervisor,
        "sup-else": create_supervisor("vancouver"),
        "analyst": create_user(Role.ANALYST, office=create_office("ottawa")),
        "inactive": inactive,
    }

    medical_request = _ask_for_documents(case, officer, Step.MEDICAL)
    eligibility_request = _ask_for_documents(case, officer, Step.ELIGIBILITY)
    # Started by a supervisor: the sponsorship's program is outside the officer's reach.
    sponsorship_thread = conversations.start_thread(
        case_id=sponsorship.public_id,
        person=supervisor,
        subject="Your proof of status",
        body="Please send your citizenship certificate.",
        **key(),
    ).message.thread
    applicant_message = conversations.start_thread(
        case_id=case.public_id,
        person=owner,
        subject="My passport",
        body="Here is the scan.",
        attachments=[conversations.Attachment("passport.pdf", MINIMAL_PDF)],
        **key(),
    ).message
    conversations.mark_read(thread_id=applicant_message.thread.public_id, person=officer)
    sponsor_message = conversations.start_thread(
        case_id=case.public_id,
        person=sponsor,
        subject="My income",
        body="My notice of assessment.",
        attachments=[conversations.Attachment("income.png", png_image())],
        **key(),
    ).message

    draft = drafts.start_draft(person=owner, program_code="iec")
    fill_draft(owner, draft)
    draft = Draft.objects.get(pk=draft.pk)
    link_request = linking.request_code(
        person=owner,
        reference=case.reference,
        date_of_birth=case.application.date_of_birth,
    )

    # Tokens while every account is active and every officer has their second factor;
    # then the deactivation, and an authenticator app removed.
    tokens = {name: api_token(person) for name, person in people.items()}
    without_device = create_skilled_officer(office="ottawa")
    tokens["no-device"] = api_token(without_device)
    TOTPDevice.objects.filter(user=without_device).delete()
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    page_clients = {"anon": Client()}
    for name, person in people.items():
        if person.must_use_mfa:
            page_clients[name] = signed_in_with_mfa(person)
        else:
            page_clients[name] = Client()
            page_clients[name].force_login(person)
    page_clients["no-mfa"] = Client()
    page_clients["no-mfa"].force_login(officer)

    api_clients = {
        "anon": Client(),
        "bad-token": _bearer("psg_" + uuid.uuid4().hex),
        **{name: _bearer(token) for name, token in tokens.items()},
        "officer-session": page_clients["officer"],
        "no-mfa": page_clients["no-mfa"],
    }

    case = Case.objects.select_related("application").get(pk=case.pk)
    applicant_attachment = applicant_message.attachments.get()
    paper_scan = _filed_paper_form(supervisor)
    client_email = mail_services.receive_email(
        client_email_bytes(
            sender=owner.email,
            subject=f"File {case.reference}",
            body="Here is my medical exam report.",
            attachments=[("exam.pdf", "application/pdf", one_page_pdf(content=EXAM_REPORT))],
        ),
        channel=InboundEmail.Channel.SMTP,
        envelope_sender=owner.email,
    )
    confirmation, landed = _confirmations(owner, officer)
    return World(
        confirmation=confirmation,
        landed=landed,
        paper_scan=paper_scan,
        client_email=client_email,
        case=case,
        other_case=other_case,
        other_letter=DecisionLetter.objects.get(case=other_case),
        sponsorship=sponsorship,
        sponsorship_thread=sponsorship_thread,
        people=people,
        page_clients=page_clients,
        api_clients=api_clients,
        medical_request=medical_request,
        eligibility_request=eligibility_request,
        applicant_thread=applicant_message.thread,
        applicant_attachment=applicant_attachment,
        sponsor_thread=sponsor_message.thread,
        sponsor_attachment=sponsor_message.attachments.get(),
        draft=draft,
        link_request=link_request,
        representation=representation,
        admin_objects={
            Thread: applicant_message.thread,
            Message: applicant_message,
            MessageAttachment: applicant_attachment,
            MessageRead: MessageRead.objects.filter(message=applicant_message).first(),
            Application: case.application,
            Document: Document.objects.filter(application=case.application).first(),
            Draft: draft,
            OutboxMessage: OutboxMessage.objects.filter(case=case).first(),
            Case: case,
            CaseEvent: CaseEvent.objects.filter(case=case).first(),
        },
    )


def _confirmations(owner: User, officer: User) -> tuple[Confirmation, Confirmation]:
    """Two approved sponsorships of which the owner is the sponsored person: one
    confirmation sent for review, one confirmed (its eCOPR issued)."""
    owner.email_verified_at = clock.now()
    owner.save(update_fields=["email_verified_at"])
    _, ready = ready_for_review(
        approved_sponsorship(officer, principal_email=owner.email), email=owner.email, person=owner
    )
    _, landed = ready_for_review(
        approved_sponsorship(officer, principal_email=owner.email), email=owner.email, person=owner
    )
    review.confirm_residence(
        officer=officer, confirmation_id=landed.public_id, details=DETAILS, **key()
    )
    return ready, Confirmation.objects.get(pk=landed.pk)


def key() -> dict[str, str]:
    """A fresh idempotency key, as a service's keyword argument."""
    return {"idempotency_key": uuid.uuid4().hex}


def _ask_for_documents(case: Case, officer: User, step: Step) -> DocumentRequest:
    cases.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=step,
        items=[f"{step.label} report"],
        due_on=clock.now().date() + timedelta(days=14),
        idempotency_key=uuid.uuid4().hex,
    )
    return DocumentRequest.objects.filter(case=case, step=step).latest("id")


def _bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def draft_page_form(draft: Draft) -> tuple[str, dict[str, str]]:
    """The first page of the draft and its form as the person's browser sends it back,
    with the answers already saved: a valid page."""
    flow = drafts.draft_flow(draft)
    page = flow.pages[0]
    data: dict[str, str] = {"version": str(draft.version), "action": "continue"}
    for question in page.questions:
        data.update(engine.answer_inputs(question, draft.answers.get(question.id)))
    return page.id, data


def pdf_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


# --- One cell -----------------------------------------------------------------------------

# Where a redirect goes, said as a word: the sign-in page, the second factor, the admin's
# own sign-in; any other redirect is "302>" and the name of the page it goes to (a table's
# "302" cell allows it when that page is the row's, `differences`).
REDIRECT_WORDS = {"web:sign-in": "sign-in", "accounts:mfa": "mfa", "admin:login": "admin-login"}


def request_outcome(
    client: Client, method: str, url: str, data: dict[str, Any] | None, language: str
) -> str:
    """What the client gets for the request, as a word, with nothing it did kept: the
    request runs in a savepoint rolled back after it, and the client's cookies are put
    back, so that every cell starts from the same world."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                response = client.get(url) if method == "GET" else client.post(url, data or {})
                return outcome(response, language)
            except Exception as error:  # a server error is a cell too: reported, not raised
                return f"raised:{type(error).__name__}"
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def outcome(response: HttpResponseBase, language: str) -> str:
    """The status code, or for a redirect where it goes (`REDIRECT_WORDS`)."""
    status = response.status_code
    if response.streaming:
        # Read to the end: the test client then closes the download's file, the way a
        # WSGI server would (closing it here would also close the database connection).
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if status not in (301, 302, 303, 307, 308):
        return str(status)
    path = urlsplit(response["Location"]).path
    with translation.override(language):
        try:
            name = resolve(path).view_name
        except Resolver404:
            return f"302>{path}"
    return REDIRECT_WORDS.get(name, f"302>{name}")


# --- The tables ---------------------------------------------------------------------------

Table = dict[tuple[str, str], frozenset[str]]


def parse_table(text: str, people: Iterable[str]) -> Table:
    """A table as text: a header `URL METHOD person…`, then one line per URL and method
    with one cell per person; a cell is an outcome or several joined by `|`. Lines
    starting with # are comments. The answer: (person, "url METHOD") -> outcomes."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip() and line[0] != "#"]
    header, *rows = lines
    expected_people = list(people)
    assert header[2:] == expected_people, f"the header names {header[2:]}"
    table: Table = {}
    for row in rows:
        column, cells = f"{row[0]} {row[1]}", row[2:]
        assert len(cells) == len(expected_people), f"{column}: {len(cells)} cells"
        for person, cell in zip(expected_people, cells, strict=True):
            assert (person, column) not in table, f"{column} twice"
            table[(person, column)] = frozenset(cell.split("|"))
    return table


def differences(
    expected: Table,
    actual: dict[tuple[str, str], str],
    redirects: dict[str, str],
    where: str = "",
) -> str:
    """Every cell whose outcome is not one the table allows, one per line. A "302" cell
    allows a redirect to the page `redirects` names for its row (where a form that did
    what it was sent for goes), and to no other."""
    lines = []
    for (person, row), allowed in expected.items():
        got = actual.get((person, row), "not asked")
        if got in allowed:
            continue
        said = "|".join(sorted(allowed)).replace("302", f"302>{redirects.get(row)}")
        if got != f"302>{redirects.get(row)}" or "302" not in allowed:
            lines.append(f"{where}{row:<44} as {person:<15} expected {said}, got {got}")
    return "\n".join(lines)


def columns_of(table: Table) -> set[str]:
    return {column for _person, column in table}


# --- Completeness: the URL map and the API's routes -----------------------------------------

# Path parameters that name a case, or something of one (a conversation, a file, a draft, a
# link request, a client's authorisation of a representative): every URL with one is a
# column of the matrix.
CASE_BEARING_PARAMETERS = frozenset(
    {
        "case_id",
        "thread_id",
        "message_id",
        "attachment_id",
        "document_id",
        "draft_id",
        "request_id",
        "representation_id",
        "event_id",
        "party_id",
        # A person's confirmation of permanent residence on a case, and its photos.
        "confirmation_id",
        "invitation_id",
        "photo_id",
    }
)
# Path parameters that name something else, and why they are not the matrix's business. A
# parameter in neither set fails the completeness test until someone decides.
OTHER_PARAMETERS = {
    "officer_id": "an officer's row in supervision: staff data, not a case",
    "page_id": "a page of a question flow, always with the draft's id",
    "program": "a program's code",
    "token": "a signed email-verification, password-reset or invitation token",
    "uidb64": "the person of a password-reset link",
    "app_label": "the admin's list of one app",
    "url": "the admin's catch-all, which answers 404 or a redirect to sign in",
    "reference": "an outage's public reference (OUT-2026-0007): the register, not a case",
    "receipt": "a spooled submission's unguessable receipt: its page says received, filed "
    "or refused, never anything of the case",
    "code": "a paper form's code (cit-grant-adult): the blank form, for anyone",
    "number": "a page of a paper form's scan, always with the scan's id",
    "batch": "a card-production batch's reference: supervisors' pages, no case in the URL",
}
# The admin's object pages (`object_id`, `id`) are case-bearing when their model is.
ADMIN_OBJECT_PARAMETERS = frozenset({"object_id", "id", "pk"})


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name (namespaced), or its route when it has none, the route
    in English, its path parameters and their converters, and for the admin, the model."""

    key: str
    route: str
    parameters: dict[str, str]
    namespace: str = ""
    model: type[models.Model] | None = None


def walk_urls(patterns: Iterable[Any], language: str = "en") -> list[Route]:
    """Every URL pattern under `patterns` (the root URLconf's, for example), recursively,
    with the route and parameters of the resolvers above it; in `language`'s paths."""
    with translation.override(language):
        return list(_walk(patterns, route="", parameters={}, namespaces=[]))


def _walk(
    patterns: Iterable[Any], *, route: str, parameters: dict[str, str], namespaces: list[str]
) -> Iterator[Route]:
    for pattern in patterns:
        here = route + str(pattern.pattern)
        found = {**parameters, **_parameters(pattern.pattern)}
        if isinstance(pattern, URLResolver):
            inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, route=here, parameters=found, namespaces=inner)
        elif isinstance(pattern, URLPattern):
            key = ":".join([*namespaces, pattern.name]) if pattern.name else here
            model_admin = getattr(pattern.callback, "model_admin", None)
            model = model_admin.model if model_admin is not None else None
            if model is None and "admin" in namespaces:
                model = _admin_model(here)
            yield Route(
                key=key,
                route=here,
                parameters=found,
                namespace=":".join(namespaces),
                model=model,
            )


def _admin_model(route: str) -> type[models.Model] | None:
    """The model of an admin page the model's admin added without saying so (a user's
    password page, say): the one its address names, `admin/<app>/<model>/…`."""
    parts = route.split("admin/", 1)[-1].split("/")
    try:
        return apps.get_model(parts[0], parts[1])
    except (IndexError, LookupError, ValueError):
        return None


def _parameters(pattern: Any) -> dict[str, str]:
    if isinstance(pattern, RoutePattern):
        return {
            name: type(converter).__name__.removesuffix("Converter").lower()
            for name, converter in pattern.converters.items()
        }
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "regex")
    return {}


def case_bearing_models() -> set[type[models.Model]]:
    """The case and its application, and every model that points to one of them, or to
    one of those, and so on (a conversation, a message, a file, a draft, an email)."""
    found: set[type[models.Model]] = {Case, Application}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            for model_field in model._meta.get_fields():
                if (
                    getattr(model_field, "concrete", False)
                    and (model_field.many_to_one or model_field.one_to_one)
                    and model_field.related_model in found
                ):
                    found.add(model)
                    grew = True
                    break
    return found


@dataclass(frozen=True)
class Census:
    """What the walk found: the routes that must be columns, and those whose parameters
    nobody has decided about."""

    case_bearing: list[Route]
    undecided: list[Route]


def census(routes: Iterable[Route]) -> Census:
    bearing_models = case_bearing_models()
    case_bearing, undecided = [], []
    for route in routes:
        names = set(route.parameters)
        if not names:
            continue
        if route.namespace == "admin":
            admin_object = names & ADMIN_OBJECT_PARAMETERS
            if admin_object and (route.model is None or route.model in bearing_models):
                case_bearing.append(route)  # a model's object, or "view on site" of any
                continue
            names -= ADMIN_OBJECT_PARAMETERS
        if names & CASE_BEARING_PARAMETERS or "uuid" in route.parameters.values():
            case_bearing.append(route)
        elif names - set(OTHER_PARAMETERS):
            undecided.append(route)
    return Census(case_bearing=case_bearing, undecided=undecided)
