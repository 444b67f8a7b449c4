"""Sessions end after a time without activity, after a fixed time in any case, and on
every device at once when the person asks."""

from datetime import timedelta

import pytest
from django.test import Client

from passage import clock
from tests.builders import create_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch):
    """Move the clock the middleware reads: `frozen(minutes=31)` jumps ahead."""
    start = clock.now()

    def move(**delta: float) -> None:
        at = start + timedelta(**delta)
        monkeypatch.setattr(clock, "now", lambda: at)

    move()
    return move


def signed_in_client() -> Client:
    client = Client()
    client.force_login(create_user())
    client.get("/en/account/")  # the first request starts the session's clocks
    return client


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(frozen, settings: object) -> None:
    settings.PASSAGE_SESSION_IDLE_MINUTES = 30  # type: ignore[attr-defined]
    client = signed_in_client()

    frozen(minutes=29)
    assert client.get("/en/account/").status_code == 200
    frozen(minutes=29 + 31)
    response = client.get("/en/account/", follow=True)

    assert response.redirect_chain[0][0].startswith("/en/sign-in/?next=")
    assert "_auth_user_id" not in client.session
    assert "no activity for 30 minutes" in response.content.decode()


def test_activity_does_not_keep_a_session_open_beyond_the_absolute_limit(
    frozen, settings: object
) -> None:
    settings.PASSAGE_SESSION_IDLE_MINUTES = 30  # type: ignore[attr-defined]
    settings.PASSAGE_SESSION_ABSOLUTE_HOURS = 12  # type: ignore[attr-defined]
    client = signed_in_client()
    for minutes in range(20, 12 * 60, 20):
        frozen(minutes=minutes)
        assert client.get("/en/account/").status_code == 200

    frozen(hours=12, minutes=10)
    response = client.get("/en/account/", follow=True)

    assert "_auth_user_id" not in client.session
    assert "signed in more than 12 hours ago" in response.content.decode()


def test_sign_out_everywhere_ends_the_persons_other_sessions_and_this_one() -> None:
    person, someone_else = create_user(), create_user()
    laptop, phone, other = Client(), Client(), Client()
    laptop.force_login(person)
    phone.force_login(person)
    other.force_login(someone_else)

    response = laptop.post("/en/account/sign-out-everywhere/", follow=True)

    assert "You have signed out on every device." in response.content.decode()
    assert phone.get("/en/account/").status_code == 302
    assert laptop.get("/en/account/").status_code == 302
    assert other.get("/en/account/").status_code == 200
    # Signing in again works as before.
    person.refresh_from_db()
    phone.force_login(person)
    assert phone.get("/en/account/").status_code == 200
