"""The correspondence pages, in English and French: a team's queue oldest first with
urgent travel marked and ages against the standard; one email beside its case; the
actions, each back to the email; the supervisors' figures."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.correspondence.models import InboundEmail
from passage.correspondence.services import receive_email
from tests.accounts.builders import signed_in_with_mfa
from tests.correspondence.builders import email_about
from tests.correspondence.messages import client_email
from tests.tracker.builders import worked_case
from tests.workbench.builders import create_skilled_officer, create_supervisor

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def officer() -> object:
    return create_skilled_officer(username=f"officer-{uuid.uuid4().hex[:6]}")


def receive(body: str, days_ago: int = 0, sender: str = "someone@example.org") -> InboundEmail:
    return receive_email(
        client_email(sender=sender, body=body),
        channel=InboundEmail.Channel.SMTP,
        envelope_sender=sender,
        now=clock.now() - timedelta(days=days_ago),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_queue_lists_a_team_s_open_email_oldest_first_with_urgent_travel_marked(
    officer: object, language: str
) -> None:
    newer = receive(
        "My mother is dying in the hospital, I must fly on Friday, please process my visa urgently."
    )
    older = receive(
        "My father had a stroke, my flight leaves tomorrow, please expedite my file!", days_ago=12
    )
    page = signed_in_with_mfa(officer).get(
        url("correspondence:queue", language) + "?team=urgent-processing"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(str(older.public_id)) < html.index(str(newer.public_id))
    assert ("Urgent travel" if language == "en" else "Voyage urgent") in html
    assert (
        "over the 1-day standard" if language == "en" else "au-delà de la norme de 1 jour"
    ) in html


def test_the_email_page_shows_the_email_beside_its_case_and_each_action_returns_to_it(
    officer: object,
) -> None:
    case = worked_case(officer)
    email = email_about(case, body="Any update on my file? <script>alert(1)</script>")
    client = signed_in_with_mfa(officer)
    page = client.get(url("correspondence:email", email_id=email.public_id))
    html = page.content.decode()
    assert case.reference in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    done = client.post(
        url("correspondence:category", email_id=email.public_id),
        {"category": "complaint", "idempotency_key": "k"},
    )
    assert done.status_code == 302
    assert done["Location"] == url("correspondence:email", email_id=email.public_id)
    email.refresh_from_db()
    assert email.corrected_category == "complaint"


def test_an_answer_without_words_shows_the_form_again_with_its_error(officer: object) -> None:
    email = email_about(worked_case(officer))
    page = signed_in_with_mfa(officer).post(
        url("correspondence:answer", email_id=email.public_id), {"body": "", "idempotency_key": "k"}
    )
    assert page.status_code == 400
    assert "This field is required." in page.content.decode()


def test_supervisors_see_volumes_the_share_routed_automatically_and_the_queue_ages() -> None:
    receive("Hello, any update on my application? It has been 8 months.")
    receive("Bonjour, je veux retirer ma demande de parrainage.", sender="autre@example.org")
    page = signed_in_with_mfa(create_supervisor()).get(url("correspondence:figures", "fr"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Volumes par catégorie et par langue" in html
    assert "Part acheminée automatiquement" in html


def test_officers_cannot_open_the_figures(officer: object) -> None:
    assert signed_in_with_mfa(officer).get(url("correspondence:figures")).status_code == 403
