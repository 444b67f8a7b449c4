"""Builders for the confirmation of permanent residence: an approved family-class case
through the real services, its principal applicant's account, a good and a bad photo, and
a confirmation brought to review."""

import io
import uuid
from datetime import date
from typing import Any

import numpy as np
from PIL import Image

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case
from passage.intake.catalogue import load_programs
from passage.intake.models import Program
from passage.residence import review, services
from passage.residence.invitation_links import invitation_token
from passage.residence.models import Confirmation
from tests.builders import create_officer, create_user, finish_all_steps, give_to, submit_case

PRINCIPAL_EMAIL = "nino@example.com"


def sponsorship_answers(**overrides: Any) -> dict[str, Any]:
    """The answers of an eligible spouse sponsorship whose sponsored person is in Canada."""
    answers: dict[str, Any] = {
        "category": "spouse",
        "sponsor_status": "citizen",
        "resides_in_canada": True,
        "social_assistance_non_disability": False,
        "in_default": False,
        "undischarged_bankrupt": False,
        "barring_conviction": False,
        "in_prison": False,
        "under_removal_order": False,
        "was_sponsored_spouse": False,
        "principal_given_name": "Nino",
        "principal_family_name": "Quincampoix",
        "principal_date_of_birth": "1987-06-30",
        "principal_email": PRINCIPAL_EMAIL,
        "principal_in_canada": True,
        "has_dependent_children": False,
    }
    answers.update(overrides)
    return answers


def approved_sponsorship(
    officer: User | None = None, *, language: str = "fr", **answers: Any
) -> Case:
    """A family-class spouse sponsorship approved by an officer through the services, its
    correspondence in `language`."""
    if not Program.objects.filter(code="family-sponsor").exists():
        load_programs()
    case = submit_case(
        program_code="family-sponsor",
        category="spouse",
        answers=sponsorship_answers(**answers),
        documents=[],
        preferred_language=language,
    )
    officer = officer or create_officer()
    cases.begin_triage(case_id=case.public_id, actor=SYSTEM, idempotency_key="triage")
    cases.begin_review(case_id=case.public_id, actor=SYSTEM, idempotency_key="review")
    give_to(case, officer)
    finish_all_steps(case, officer)
    cases.record_decision(
        case_id=case.public_id, actor=officer, approve=True, reasons="", idempotency_key="decide"
    )
    return Case.objects.get(pk=case.pk)


def principal_account(email: str = PRINCIPAL_EMAIL) -> User:
    """The principal applicant's own account, its email address verified."""
    from passage import clock

    person = create_user(Role.APPLICANT, email=email)
    person.email_verified_at = clock.now()
    person.save(update_fields=["email_verified_at"])
    return person


def invitation_of(case: Case) -> tuple[Confirmation, str]:
    """The case's principal applicant's confirmation and the token of its invitation."""
    principal = Confirmation.objects.get(case=case, position=0)
    return principal, invitation_token(principal)


def taken_up(case: Case, person: User | None = None) -> tuple[User, list[Confirmation]]:
    """The principal applicant takes up the case's invitation with the emailed link."""
    person = person or principal_account()
    principal, token = invitation_of(case)
    services.take_up_invitation(person=person, invitation_id=principal.public_id, token=token)
    return person, list(Confirmation.objects.filter(case=case).order_by("position"))


def portrait(index: int = 0) -> bytes:
    """A passport-style photo the checks accept: one of the labelled set's good ones."""
    from tests.photos.labelled_set import labelled_set

    good = [photo.data for photo in labelled_set() if photo.label == "good"]
    return good[index]


def not_a_photo() -> bytes:
    """A real picture with no face in it: light noise, as a plain wall photographed."""
    pixels = np.random.default_rng(7).integers(200, 250, size=(840, 600, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def key() -> str:
    return uuid.uuid4().hex


def ready_for_review(
    case: Case | None = None, email: str = PRINCIPAL_EMAIL, person: User | None = None
) -> tuple[User, Confirmation]:
    """A principal applicant's confirmation with its declaration, address and a photo that
    passed, sent for review (by `person`, or a new account of `email`)."""
    case = case or approved_sponsorship()
    person, confirmations = taken_up(case, person or principal_account(email))
    principal = confirmations[0]
    services.declare_presence(
        person=person,
        confirmation_id=principal.public_id,
        in_canada=True,
        city="Ottawa",
        province="ON",
        idempotency_key=key(),
    )
    services.give_address(
        person=person,
        confirmation_id=principal.public_id,
        address=services.Address("123 Main Street", "Ottawa", "ON", "k1a0b1"),
        idempotency_key=key(),
    )
    services.upload_photo(
        person=person,
        confirmation_id=principal.public_id,
        filename="me.jpg",
        content=portrait(),
        idempotency_key=key(),
    )
    services.submit_for_review(
        person=person, confirmation_id=principal.public_id, idempotency_key=key()
    )
    return person, Confirmation.objects.get(pk=principal.pk)


DETAILS = review.CoprDetails(
    uci="1234567890",
    place_of_birth="Paris",
    country_of_birth="FR",
    sex="M",
    citizenship="FR",
    travel_document_number="19AB12345",
    travel_document_country="FR",
    travel_document_expiry=date(2031, 5, 1),
)


def officer_of(confirmation: Confirmation) -> User:
    """The officer who approved the confirmation's case: the file is theirs."""
    officer = Case.objects.get(pk=confirmation.case_id).assigned_to
    assert officer is not None
    return officer
