"""The workbench case page warns an officer who decides while a document request is still
open: the decision form names the request and asks them to confirm that the decision closes
it, and the decision is refused without that confirmation."""

import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from passage import clock
from passage.accounts.models import User
from passage.cases import services as cases
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import CaseStatus, RequestClosure, Step
from tests.accounts.builders import signed_in_with_mfa
from tests.letters.builders import with_letter_read
from tests.workbench.builders import claimed_case, create_skilled_officer, create_supervisor

DISPLAY_ZONE = ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)

pytestmark = pytest.mark.django_db

CONFIRMATION = 'name="close_open_requests"'


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def taken_case(officer: User) -> Case:
    """An IEC file the officer took, whose funds need a closer look (tier 3)."""
    return claimed_case(officer, received=clock.now() - timedelta(days=3), funds_cad=1200)


def hand_over(case: Case, officer: User) -> None:
    """A supervisor of the office gives the file to the officer, saying why."""
    cases.assign_officer(
        case_id=case.public_id,
        actor=create_supervisor(),
        officer=officer,
        reason="Covering a leave.",
        idempotency_key=uuid.uuid4().hex,
    )


def ask(case: Case, officer: User, step: Step = Step.BIOMETRICS) -> DocumentRequest:
    cases.request_documents(
        case_id=case.public_id,
        actor=officer,
        step=step,
        items=["Passport photo", "Fingerprint receipt"],
        due_on=clock.now().date() + timedelta(days=21),
        idempotency_key=uuid.uuid4().hex,
    )
    return DocumentRequest.objects.filter(case=case).latest("pk")


def case_url(case: Case, language: str = "en", action: str = "") -> str:
    files = "dossiers" if language == "fr" else "files"
    workbench = "espace-de-travail" if language == "fr" else "workbench"
    return f"/{language}/{workbench}/{files}/{case.public_id}/{action}"


def refusal(case: Case, **fields: object) -> dict[str, object]:
    """The refusal form as the officer sends it, having read its letter."""
    case.refresh_from_db()
    return with_letter_read(
        {
            "idempotency_key": uuid.uuid4().hex,
            "expected_version": case.version,
            "decision": "refuse",
            "reasons": "Funds below the required minimum.",
            **fields,
        }
    )


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def client_of(person: User) -> Client:
    return signed_in_with_mfa(person)


def test_the_decision_form_names_the_officers_open_request_and_asks_to_confirm():
    officer = create_skilled_officer()
    case = taken_case(officer)
    request = ask(case, officer)

    html = client_of(officer).get(case_url(case)).content.decode()

    warning = re.search(
        r'<div class="gc-notice[^"]*" id="decision-open-requests">.*?</div>', html, re.S
    )
    assert warning, "the decision form has no warning"
    said = text_of(warning.group(0))
    assert "The client has not answered this document request yet:" in said
    due = request.due_on.isoformat()
    # The page writes dates where its reader is (the display zone), not in UTC.
    asked = clock.now().astimezone(DISPLAY_ZONE).date().isoformat()
    assert (
        f"Biometrics: Passport photo; Fingerprint receipt, due {due} (asked by you on {asked})"
        in said
    )
    assert html.index('id="decision-open-requests"') < html.index(CONFIRMATION)
    assert '<label for="decision-close_open_requests">' in html


def test_another_officers_request_is_named_with_who_asked():
    officer = create_skilled_officer()
    case = taken_case(officer)
    colleague = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    # The colleague asked while the file was theirs; a supervisor then gave it back.
    hand_over(case, colleague)
    ask(case, colleague, Step.MEDICAL)
    hand_over(case, officer)

    said = text_of(client_of(officer).get(case_url(case)).content.decode())

    assert "(asked by Léa Tremblay on" in said


def test_the_warning_and_confirmation_are_in_french_on_the_french_page():
    officer = create_skilled_officer()
    case = taken_case(officer)
    ask(case, officer)

    html = client_of(officer).get(case_url(case, "fr")).content.decode()

    assert 'id="decision-open-requests"' in html
    assert "The client has not answered" not in html
    assert "Données biométriques" in text_of(html)
    assert CONFIRMATION in html


def test_without_an_open_request_there_is_no_warning_and_no_confirmation():
    officer = create_skilled_officer()
    case = taken_case(officer)

    html = client_of(officer).get(case_url(case)).content.decode()

    assert 'id="decision-open-requests"' not in html
    assert CONFIRMATION not in html


def test_a_refusal_without_the_confirmation_is_refused_beside_the_checkbox():
    officer = create_skilled_officer()
    case = taken_case(officer)
    request = ask(case, officer)

    response = client_of(officer).post(case_url(case, action="decision/"), refusal(case))

    html = response.content.decode()
    assert response.status_code == 422
    assert (
        '<a href="#decision-close_open_requests">'
        "Confirm that the decision closes the open document request.</a>"
    ) in html
    assert 'aria-describedby="decision-close_open_requests_error"' in html
    assert "Funds below the required minimum.</textarea>" in html
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    assert DocumentRequest.objects.get(pk=request.pk).is_open


def test_a_refusal_with_the_confirmation_closes_the_request_and_the_page_says_so():
    officer = create_skilled_officer()
    case = taken_case(officer)
    request = ask(case, officer)
    client = client_of(officer)

    response = client.post(
        case_url(case, action="decision/"), refusal(case, close_open_requests="on"), follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The file was refused." in html
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REFUSED
    request.refresh_from_db()
    assert request.closed_because == RequestClosure.DECIDED
    said = text_of(html)
    assert (
        f"Closed unanswered on {request.closed_at.astimezone(DISPLAY_ZONE):%Y-%m-%d} "
        "(The application was decided)" in said
    )
    assert "A document request was closed" in said
    assert "Biometrics: The application was decided" in said
