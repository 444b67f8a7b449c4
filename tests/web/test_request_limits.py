"""Limits on what a client may send: a body over its size is refused before it is read
(413), and writes, sign-ins and code requests past their rate are refused with
`Retry-After` (429), in JSON on the API and as a page in the person's language."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from passage import clock
from passage.accounts.roles import Role
from passage.cases.models import Case
from tests.accounts.builders import api_token
from tests.builders import API_APPLICATION, create_program, create_user, submit_case

pytestmark = pytest.mark.django_db


class UnreadableBody:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def declaring(size: int) -> dict[str, object]:
    """Request headers that announce a body of `size` bytes that must never be read."""
    return {"CONTENT_LENGTH": str(size), "wsgi.input": UnreadableBody()}


@pytest.fixture
def frozen_minute(monkeypatch):
    """The clock stands still in the middle of a minute, so a test's requests share one
    window; `advance` moves it on."""
    moment = {"now": datetime(2026, 12, 7, 10, 0, 20, tzinfo=UTC)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


def test_a_300_mb_upload_is_refused_before_it_is_read():
    case = submit_case()
    client = Client()
    client.force_login(case.application.applicant)
    with translation.override("fr"):
        url = reverse("tracker:documents", kwargs={"case_id": case.public_id})

    response = client.post(
        url,
        content_type="multipart/form-data; boundary=x",
        **declaring(300 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "64 Mo" in response.content.decode() or "64 MB" in response.content.decode()
    assert response["Connection"] == "close"


def test_an_api_body_over_its_limit_is_a_413_in_the_error_shape():
    token = api_token(create_user(Role.APPLICANT))

    response = Client().post(
        "/api/v1/triage",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
        **declaring(17 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert set(response.json()) == {"detail", "errors"}


def test_a_form_larger_than_a_megabyte_is_refused_in_the_pages_language():
    with translation.override("fr"):
        url = reverse("web:sign-in")

    response = Client().post(
        url, content_type="application/x-www-form-urlencoded", **declaring(2 * 1024 * 1024)
    )

    assert response.status_code == 413
    assert "La requête est trop volumineuse" in response.content.decode()


def test_a_20_mb_answers_object_is_refused_naming_the_answers():
    create_program("iec")
    token = api_token(create_user(Role.APPLICANT))
    body = {**API_APPLICATION, "answers": {"notes": "x" * (20 * 1024 * 1024)}}

    response = Client().post(
        "/api/v1/applications",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 422
    assert "answers" in response.json()["errors"]
    assert not Case.objects.exists()


def triage(client: Client, token: str):
    return client.post(
        "/api/v1/triage",
        data="[]",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_api_writes_past_a_tokens_rate_are_refused_with_retry_after(settings, frozen_minute):
    settings.PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE = 3
    busy, other = api_token(create_user(Role.ANALYST)), api_token(create_user(Role.ANALYST))
    client = Client()

    answers = [triage(client, busy).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = triage(client, busy)
    assert refused["Retry-After"] == "40"
    assert "Wait 40 seconds" in refused.json()["detail"]
    assert triage(client, other).status_code == 200
    frozen_minute["now"] = frozen_minute["now"].replace(minute=1)
    assert triage(client, busy).status_code == 200


def test_many_tokens_from_one_address_still_meet_its_limit(settings, frozen_minute):
    settings.PASSAGE_RATE_WRITES_PER_MINUTE = 5
    client = Client()
    tokens = [f"psg_guess{index}" for index in range(6)]

    answers = [triage(client, token).status_code for token in tokens]

    assert answers[:5] == [401] * 5
    assert answers[5] == 429


def test_reads_are_never_throttled(settings, frozen_minute):
    settings.PASSAGE_RATE_CLIENT_WRITES_PER_MINUTE = 1
    settings.PASSAGE_RATE_WRITES_PER_MINUTE = 1
    case = submit_case()
    token = api_token(case.application.applicant)
    reader = Client(headers={"Authorization": f"Bearer {token}"})

    statuses = {reader.get(f"/api/v1/cases/{case.public_id}").status_code for _ in range(5)}

    assert statuses == {200}


def test_sign_in_attempts_from_one_address_are_throttled_with_a_page_in_french(
    settings, frozen_minute
):
    settings.PASSAGE_RATE_SIGN_INS_PER_MINUTE = 2
    with translation.override("fr"):
        url = reverse("web:sign-in")
    client = Client()
    form = {"username": "someone", "password": "not the password"}

    answers = [client.post(url, form) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["Retry-After"] == "40"
    assert "Attendez 40 secondes" in answers[2].content.decode()


def test_password_reset_requests_from_one_address_are_throttled(settings, frozen_minute):
    settings.PASSAGE_RATE_CODE_REQUESTS_PER_MINUTE = 2
    url = reverse("accounts:forgot-password")
    client = Client()

    answers = [client.post(url, {"email": f"p{i}@example.com"}).status_code for i in range(3)]

    assert answers == [302, 302, 429]


def test_paper_forms_printed_without_an_account_are_throttled_per_address(settings, frozen_minute):
    settings.PASSAGE_RATE_FORM_PRINTS_PER_MINUTE = 2
    url = reverse("paper-forms:fill-in", kwargs={"code": "cit-grant-adult"})
    client = Client()

    answers = [client.post(url, {"action": "print"}).status_code for _ in range(3)]

    assert answers == [400, 400, 429]


def test_a_database_that_cannot_count_lets_the_request_through(settings, monkeypatch):
    from django.db import DatabaseError

    from passage.accounts import throttling

    def broken(*args: object) -> dict[str, int]:
        raise DatabaseError("the database is down")

    monkeypatch.setattr(throttling, "_count", broken)
    token = api_token(create_user(Role.ANALYST))

    assert triage(Client(), token).status_code == 200
