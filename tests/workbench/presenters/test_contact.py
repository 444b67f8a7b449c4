"""The applicant's contact details on the case page's summary: as their account has them
now, and when each changed since the file was received."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts import contact_details
from passage.cases.selectors import applicant_of
from passage.workbench.presenters.case import case_view
from tests.accounts.builders import signed_in_with_mfa
from tests.workbench.builders import claimed_case, create_skilled_officer

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 3, 1, 15, tzinfo=UTC)
CHANGED = RECEIVED + timedelta(days=3)


def test_the_summary_shows_the_applicants_details_and_when_each_changed():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=RECEIVED)
    applicant = applicant_of(case)
    assert applicant is not None
    contact_details.change_contact_details(
        user=applicant,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email=applicant.email,
        phone="+1 613 555 0123",
        mailing_address=applicant.mailing_address,
        preferred_language="fr",
        idempotency_key=uuid.uuid4().hex,
        now=CHANGED,
    )

    with translation.override("en"):
        view = case_view(person=officer, case_id=case.public_id, now=CHANGED)

    contact = view.applicant_contact
    assert contact is not None
    assert (contact.phone.value, contact.phone.changed_at) == ("+1 613 555 0123", CHANGED)
    assert (contact.language.value, contact.language.changed_at) == ("Français", CHANGED)
    assert (contact.email.value, contact.email.changed_at) == (applicant.email, None)
    assert contact.address.changed_at is None


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Telephone", "Not given", "Changed on 2026-03-04"]),
        ("fr", ["Téléphone", "Non fourni", "Mise à jour le 2026-03-04"]),
    ],
)
def test_the_case_page_says_the_details_in_both_languages(language, words):
    officer = create_skilled_officer()
    case = claimed_case(officer, received=RECEIVED)
    applicant = applicant_of(case)
    assert applicant is not None
    contact_details.change_contact_details(
        user=applicant,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email="new.address@example.com",
        phone="",
        mailing_address="",
        preferred_language=applicant.preferred_language,
        idempotency_key=uuid.uuid4().hex,
        now=CHANGED,
    )
    client: Client = signed_in_with_mfa(officer)

    with translation.override(language):
        path = reverse("workbench:case", kwargs={"case_id": case.public_id})
    page = client.get(path)

    assert page.status_code == 200
    html = page.content.decode()
    assert "new.address@example.com" in html
    for word in words:
        assert word in html
