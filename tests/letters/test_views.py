"""A decided case's letter on the client's tracker and messages, in the page's language,
and its PDF for whoever may see the case: the same 404 as a missing letter for anyone
else."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.cases.status import CaseStatus
from passage.letters.models import DecisionLetter
from tests.builders import case_in_status, create_officer, create_user, refuse, same_page_parts
from tests.tracker.builders import client_of as signed_in
from tests.tracker.builders import text_of

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def refused():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)
    refuse(case, officer, reasons="Funds below the minimum.", legal_grounds=["IRPR 200(1)(b)"])
    return case, DecisionLetter.objects.get(case=case), officer


@pytest.mark.parametrize(
    ("language", "heading", "deadline"),
    [
        ("en", "Why your application is refused", "To challenge this decision, you have until"),
        ("fr", "Motifs du refus", "Pour contester cette décision, vous avez jusqu\u2019au"),
    ],
)
def test_the_client_reads_the_decision_letter_on_their_tracker(
    refused, language, heading, deadline
):
    case, letter, _ = refused
    page = signed_in(case.application.applicant).get(
        url("tracker:case", language, case_id=case.public_id)
    )

    text = text_of(page.content)
    assert page.status_code == 200
    assert heading in text
    assert "Funds below the minimum." in text
    assert deadline in text
    assert url(
        "letters:download", language, case_id=case.public_id, letter_id=letter.public_id
    ) in (page.content.decode())


def test_an_open_case_shows_no_letter():
    case = case_in_status(CaseStatus.IN_REVIEW)

    page = signed_in(case.application.applicant).get(url("tracker:case", case_id=case.public_id))

    assert "Decision letter" not in text_of(page.content)


def test_the_letter_is_in_the_clients_messages(refused):
    case, _, _ = refused

    page = signed_in(case.application.applicant).get(
        url("conversations:list", "fr", case_id=case.public_id)
    )

    text = text_of(page.content)
    assert "Lettres du ministère" in text
    assert "Motifs du refus" in text


def test_the_client_and_the_officer_download_the_letter_as_a_pdf(refused):
    case, letter, officer = refused
    address = url("letters:download", case_id=case.public_id, letter_id=letter.public_id)

    for person in (case.application.applicant, officer):
        response = signed_in(person).get(address)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{case.reference}-refusal-letter.pdf"'
        )
        assert response.content.startswith(b"%PDF-")


def test_someone_else_gets_the_same_404_as_for_a_letter_that_does_not_exist(refused):
    case, letter, _ = refused
    stranger = signed_in(create_user())

    other_id = uuid.uuid4()
    theirs = stranger.get(
        url("letters:download", case_id=case.public_id, letter_id=letter.public_id)
    )
    missing = stranger.get(url("letters:download", case_id=case.public_id, letter_id=other_id))

    assert theirs.status_code == missing.status_code == 404
    assert same_page_parts(theirs.content.decode(), letter.public_id) == same_page_parts(
        missing.content.decode(), other_id
    )


def test_signing_in_is_needed_to_download_a_letter(refused):
    case, letter, _ = refused

    response = Client().get(
        url("letters:download", case_id=case.public_id, letter_id=letter.public_id)
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/en/sign-in/")
