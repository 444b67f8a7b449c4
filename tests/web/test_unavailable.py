"""A database out of reach answers 503 with Retry-After, never a bare 500: a page in both
languages that says what to do and when, with what the person sent ready to send again;
JSON in the API's error shape under /api/. Other server errors stay errors."""

import re

import pytest
from django.db import ProgrammingError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage.accounts.services import issue_api_token
from passage.intake.catalogue import load_programs
from passage.intake.models import Draft
from tests.builders import api_application, create_user
from tests.support.outage import database_down

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def client_that_sees_errors(**kwargs) -> Client:
    # Django's test client raises a view's exception by default; a browser sees the answer.
    return Client(raise_request_exception=False, **kwargs)


def address(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


@pytest.fixture
def person():
    return create_user(username="amelie", password=PASSWORD)


@pytest.fixture
def signed_in(person) -> Client:
    client = client_that_sees_errors()
    client.force_login(person)
    return client


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_home_page_answers_503_in_both_languages_while_the_database_is_down(
    language, signed_in
):
    with database_down():
        response = signed_in.get(address("web:home", language))

    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert f'<html lang="{language}">' in html
    assert "The service is briefly unavailable" in html
    assert "Le service est brièvement indisponible" in html
    assert "Wait 5 seconds, then try again." in html
    assert "Attendez 5 secondes, puis réessayez." in html
    first = html.index(f'<section lang="{language}"')
    other = html.index(f'<section lang="{"fr" if language == "en" else "en"}"')
    assert first < other  # the page's own language comes first


def test_the_wait_asked_for_is_the_configured_one(settings, signed_in):
    settings.PASSAGE_RETRY_AFTER_SECONDS = 30

    with database_down():
        response = signed_in.get(address("web:home"))

    assert response["Retry-After"] == "30"
    assert "Wait 30 seconds" in response.content.decode()


def test_an_answer_posted_while_the_database_is_down_comes_back_in_the_page_to_send_again(
    signed_in,
):
    load_programs()
    client = signed_in
    client.post(address("intake:start", program="iec"))
    draft = Draft.objects.get()
    page = address("intake:page", draft_id=draft.public_id, page_id="category")
    answer = {"version": str(draft.version), "category": "working-holiday", "action": "continue"}

    with database_down():
        response = client.post(page, answer)

    html = response.content.decode()
    assert response.status_code == 503
    assert f'<form method="post" action="{page}">' in html
    assert hidden_fields(html) == answer
    assert "What you entered is kept on this page" in html

    sent_again = client.post(page, hidden_fields(html))

    assert sent_again.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["category"] == "working-holiday"


def test_a_password_is_never_written_back_into_the_page(person):
    with database_down():
        response = client_that_sees_errors().post(
            address("web:sign-in"), {"username": "amelie", "password": PASSWORD}
        )

    html = response.content.decode()
    assert response.status_code == 503
    assert PASSWORD not in html
    assert hidden_fields(html) == {"username": "amelie"}


def test_the_api_answers_503_in_its_error_shape(person, settings):
    settings.PASSAGE_SPOOL = "off"  # with the intake spool on, a submission is kept (202)
    token = issue_api_token(user=person, name="outage test")
    client = client_that_sees_errors(headers={"authorization": f"Bearer {token}"})

    with database_down():
        response = client.post(
            "/api/v1/applications",
            api_application(),
            content_type="application/json",
            headers={"idempotency-key": "7c1e0a43-6d0b-4d38-9b5e-0c3c7f0f2a11"},
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert "nothing was saved" in body["detail"]
    assert body["errors"] == {}


def test_a_programming_error_is_still_a_server_error(signed_in):
    with database_down(ProgrammingError('relation "cases_case" does not exist')):
        response = signed_in.get(address("web:home"))

    assert response.status_code == 500
    assert "Retry-After" not in response
