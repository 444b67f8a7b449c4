"""Builders for tracker tests: a file in review with its internal work done, a document
request from an officer of a given office, and parties to a case (and one whose access
was revoked)."""

import re
import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.accounts.models import User
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import PartyRole, Step
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_office, create_officer, create_user, give_to
from tests.workbench.builders import create_skilled_officer, ready_case


def officer_in(time_zone: str = "America/Vancouver", office: str = "vancouver") -> User:
    """An IEC officer whose office keeps `time_zone`."""
    officer = create_skilled_officer(office=office)
    create_office(office)
    officer.office.time_zone = time_zone  # type: ignore[union-attr]
    officer.office.save(update_fields=["time_zone"])  # type: ignore[union-attr]
    return officer


def worked_case(officer: User | None = None) -> Case:
    """A file in review that was triaged, assigned and noted on: internal work only."""
    officer = officer or officer_in()
    case = ready_case()
    cases.assign_officer(
        case_id=case.public_id,
        actor=SYSTEM,
        officer=officer,
        reasons={"score": 1},
        idempotency_key="assign",
    )
    cases.add_note(
        case_id=case.public_id,
        actor=officer,
        text="Internal: call the employer about the offer.",
        idempotency_key="note",
    )
    return Case.objects.get(pk=case.pk)


def ask_for_documents(
    case: Case, officer: User, step: Step = Step.MEDICAL, days: int = 14
) -> DocumentRequest:
    cases.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=step,
        items=["Medical exam report"],
        due_on=clock.now().date() + timedelta(days=days),
        message="From a panel physician.",
        idempotency_key=uuid.uuid4().hex,
    )
    return DocumentRequest.objects.filter(case=case).latest("id")


def add_party(
    case: Case, role: PartyRole, person: User | None = None, *, by: User | None = None
) -> User:
    """Give someone (a new person by default) `role` on the case: granted by the system, or
    by `by`, a party who may grant it (a sponsor authorising their representative)."""
    person = person or create_user()
    cases.grant_access(
        case_id=case.public_id,
        actor=by or SYSTEM,
        person=person,
        role=role,
        idempotency_key=uuid.uuid4().hex,
    )
    return person


def revoked_representative(case: Case) -> User:
    """A representative of the case whose access its officer has since revoked."""
    representative = add_party(case, PartyRole.REPRESENTATIVE)
    officer = Case.objects.get(pk=case.pk).assigned_to
    if officer is None:
        officer = create_officer()
        give_to(case, officer)
    cases.revoke_access(
        case_id=case.public_id,
        actor=officer,
        person=representative,
        role=PartyRole.REPRESENTATIVE,
        idempotency_key=uuid.uuid4().hex,
    )
    return representative


def client_of(person: User) -> Client:
    """A test client signed in as the person (staff pass their second factor too)."""
    if person.must_use_mfa:
        return signed_in_with_mfa(person)
    client = Client()
    client.force_login(person)
    return client


def case_page_url(name: str, case: Case, language: str = "en") -> str:
    """The address of one of a case's tracker pages (`tracker:<name>`) in `language`."""
    with translation.override(language):
        return reverse(f"tracker:{name}", kwargs={"case_id": case.public_id})


def text_of(html: bytes) -> str:
    """A page's text, tags removed and spaces collapsed: what a person reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))
