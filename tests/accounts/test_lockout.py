"""Lockout after repeated failures, counted in the database, with the same answer for a
name that no account has."""

from datetime import timedelta

import pytest
from django.test import Client

from passage import clock
from passage.accounts.devices import COOKIE
from passage.accounts.models import SignInAttempt
from passage.accounts.roles import Role
from tests.accounts.builders import create_authenticator, current_code
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


# --- Known browsers: a guesser cannot lock the owner out ------------------------------------


def browser_that_signed_in(username: str) -> Client:
    """A browser that signed in to `username` once (keeping its device cookie), then
    signed out."""
    browser = Client()
    response = browser.post("/en/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    kept = browser.cookies[COOKIE].value
    browser.logout()  # the test client forgets every cookie; a browser keeps this one
    browser.cookies[COOKIE] = kept
    return browser


def test_someone_guessing_a_staff_members_password_does_not_lock_out_their_own_browser() -> None:
    officer = create_user(Role.OFFICER, username="officer", password=PASSWORD)
    app = create_authenticator(officer)
    own_browser, attacker = Client(), Client()
    own_browser.post("/en/sign-in/", {"username": "officer", "password": PASSWORD})
    own_browser.post("/en/account/sign-in/code/", {"code": current_code(app)})
    assert COOKIE in own_browser.cookies
    kept = own_browser.cookies[COOKIE].value
    own_browser.logout()
    own_browser.cookies[COOKIE] = kept

    for _ in range(10):
        sign_in(attacker, "officer", "wrong guess")

    assert LOCKED in sign_in(attacker, "officer", PASSWORD)
    response = own_browser.post("/en/sign-in/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/code/")


def test_failures_from_a_known_browser_lock_that_browser_only() -> None:
    create_user(username="amelie", password=PASSWORD)
    own_browser, elsewhere = browser_that_signed_in("amelie"), Client()

    for _ in range(5):
        sign_in(own_browser, "amelie", "wrong")

    assert LOCKED in sign_in(own_browser, "amelie", PASSWORD)
    answer = elsewhere.post("/en/sign-in/", {"username": "amelie", "password": PASSWORD})
    assert answer.status_code == 302


def test_a_device_cookie_counts_only_for_the_name_it_was_given_for() -> None:
    create_user(username="amelie", password=PASSWORD)
    create_user(username="bruno", password=PASSWORD)
    browser = browser_that_signed_in("amelie")
    for _ in range(5):
        sign_in(Client(), "bruno", "wrong")

    assert LOCKED in sign_in(browser, "bruno", PASSWORD)


def test_a_forged_device_cookie_is_an_unknown_browser() -> None:
    create_user(username="amelie", password=PASSWORD)
    for _ in range(5):
        sign_in(Client(), "amelie", "wrong")
    forger = Client()
    forger.cookies[COOKIE] = "eyJ1IjoiYW1lbGllIiwiZCI6ImFiYyJ9:forged:signature"

    assert LOCKED in sign_in(forger, "amelie", PASSWORD)


def test_the_second_factor_page_of_an_open_session_is_under_the_lockout_too() -> None:
    officer = create_user(Role.OFFICER, username="officer", password=PASSWORD)
    create_authenticator(officer)
    client = Client()
    client.force_login(officer)  # signed in, the second factor still owed

    answers = [
        client.post("/en/account/security/", {"code": "000000"}).content.decode() for _ in range(6)
    ]

    assert LOCKED in answers[5]
