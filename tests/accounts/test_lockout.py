"""Lockout after repeated failures, counted in the database, with the same answer for a
name that no account has."""

from datetime import timedelta

import pytest
from django.test import Client

from passage import clock
from passage.accounts.models import SignInAttempt
from tests.builders import create_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOCKED = "There were too many attempts to sign in. Wait 15 minutes, then try again."


def sign_in(client: Client, username: str, password: str, **extra: str) -> str:
    response = client.post("/en/sign-in/", {"username": username, "password": password}, **extra)
    return response.content.decode() if response.status_code == 200 else ""


def test_five_failures_lock_the_account_even_against_the_right_password(client: Client) -> None:
    create_user(username="amelie", password=PASSWORD)
    for _ in range(5):
        assert "The username or password is incorrect" in sign_in(client, "amelie", "wrong")

    html = sign_in(client, "amelie", PASSWORD)

    assert LOCKED in html
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.filter(username="amelie", succeeded=False).count() == 5


def test_a_name_with_no_account_is_locked_with_the_same_words_after_as_many_failures(
    client: Client,
) -> None:
    create_user(username="amelie", password=PASSWORD)
    for name in ("amelie", "nobody"):
        answers = [sign_in(client, name, "wrong") for _ in range(6)]
        assert all("The username or password is incorrect" in html for html in answers[:5])
        assert LOCKED in answers[5]


def test_the_lock_ends_after_15_minutes(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    create_user(username="amelie", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "amelie", "wrong")
    later = clock.now() + timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)

    response = client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_success_resets_the_count(client: Client) -> None:
    create_user(username="amelie", password=PASSWORD)
    for _ in range(4):
        sign_in(client, "amelie", "wrong")
    client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})
    client.logout()

    for _ in range(4):
        sign_in(client, "amelie", "wrong")

    response = client.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_address_that_fails_for_many_names_is_refused(client: Client, settings: object) -> None:
    settings.PASSAGE_SIGN_IN_MAX_FAILURES_PER_IP = 10  # type: ignore[attr-defined]
    create_user(username="amelie", password=PASSWORD)
    for index in range(10):
        sign_in(client, f"guess{index}", "wrong", REMOTE_ADDR="203.0.113.9")

    from_there = sign_in(client, "amelie", PASSWORD, REMOTE_ADDR="203.0.113.9")
    elsewhere = client.post(
        "/en/sign-in/",
        {"username": "amelie", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
    )

    assert LOCKED in from_there
    assert elsewhere.status_code == 302
