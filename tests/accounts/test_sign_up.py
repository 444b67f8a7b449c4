"""Sign-up: an account that cannot sign in until its email address is verified by a link
that works once and expires, and no way to learn from the page who has an account."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from passage import clock
from passage.accounts import selectors
from passage.accounts.models import SignUpAttempt, User
from passage.accounts.roles import Role
from passage.outbox.delivery import build_message, deliver_due_emails
from passage.outbox.models import OutboxMessage
from tests.builders import create_user, without_request_tokens
from tests.outbox.outbox import emailed_link, link_in, raw_outbox_text
from tests.outbox.smtp import SmtpServer

pytestmark = pytest.mark.django_db

PASSPHRASE = "lantern orchard velvet quarry"
IP_A, IP_B = "203.0.113.7", "198.51.100.23"


def sign_up_form(**overrides: str) -> dict[str, str]:
    return {
        "role": "applicant",
        "first_name": "Amélie",
        "last_name": "Poulain",
        "email": "amelie.poulain@example.com",
        "preferred_language": "fr",
        "password": PASSPHRASE,
        **overrides,
    }


def verification_link(email: str) -> str:
    """The path of the link the verification email gives, built as when it is sent."""
    message = OutboxMessage.objects.get(to_email=email, kind="verify_email")
    return emailed_link(message).removeprefix(settings.PASSAGE_SITE_URL)


def test_sign_up_writes_a_verification_email_to_the_outbox_and_the_account_cannot_sign_in(
    client: Client,
) -> None:
    response = client.post("/en/account/sign-up/", sign_up_form())

    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-up/check-your-email/"
    user = User.objects.get(email="amelie.poulain@example.com")
    assert not user.is_active
    assert user.has_role(Role.APPLICANT)
    message = OutboxMessage.objects.get(to_email="amelie.poulain@example.com")
    assert message.template == "verify_email"
    assert message.language == "fr"
    assert message.case is None
    assert set(message.context) == {"name", "secret", "hours"}
    # The link is on the public site, in the language the person chose.
    assert emailed_link(message).startswith(f"{settings.PASSAGE_SITE_URL}/fr/compte/")

    sign_in = client.post(
        "/en/sign-in/", {"username": "amelie.poulain@example.com", "password": PASSPHRASE}
    )

    assert sign_in.status_code == 200
    assert "Confirm your email address before you sign in" in sign_in.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_check_your_email_page_names_the_address(client: Client) -> None:
    response = client.post("/en/account/sign-up/", sign_up_form(), follow=True)

    assert "We sent an email to <strong>amelie.poulain@example.com</strong>" in (
        response.content.decode()
    )


def test_the_link_verifies_the_address_once_and_then_the_person_can_sign_in(
    client: Client,
) -> None:
    client.post("/en/account/sign-up/", sign_up_form(preferred_language="en"))
    link = verification_link("amelie.poulain@example.com")

    # Opening the link changes nothing (mail scanners open links); the button does.
    assert client.get(link).status_code == 200
    assert not User.objects.get(email="amelie.poulain@example.com").is_active
    confirmed = client.post(link)
    again = client.post(link)

    assert confirmed.status_code == 302
    user = User.objects.get(email="amelie.poulain@example.com")
    assert user.is_active
    assert user.email_verified_at is not None
    assert again.status_code == 400
    assert "This link was already used" in again.content.decode()
    # The username is the address, whatever its capitals.
    signed_in = client.post(
        "/en/sign-in/", {"username": "Amelie.Poulain@Example.com", "password": PASSPHRASE}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_expires_after_the_configured_hours(
    client: Client, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PASSAGE_EMAIL_VERIFICATION_HOURS = 24  # type: ignore[attr-defined]
    client.post("/en/account/sign-up/", sign_up_form(preferred_language="en"))
    link = verification_link("amelie.poulain@example.com")
    later = clock.now() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)

    response = client.post(link)

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not User.objects.get(email="amelie.poulain@example.com").is_active


def test_a_tampered_link_does_not_work(client: Client) -> None:
    client.post("/en/account/sign-up/", sign_up_form())
    link = verification_link("amelie.poulain@example.com")

    response = client.post(link[:-3] + "xyz/")

    assert response.status_code == 400
    assert not User.objects.get(email="amelie.poulain@example.com").is_active


def test_signing_up_with_a_known_address_looks_the_same_and_tells_the_owner_by_email(
    client: Client,
) -> None:
    owner = create_user(email="amelie.poulain@example.com", preferred_language="fr")

    response = client.post("/en/account/sign-up/", sign_up_form(email="Amelie.Poulain@example.com"))

    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-up/check-your-email/"
    assert User.objects.filter(email__iexact="amelie.poulain@example.com").count() == 1
    message = OutboxMessage.objects.get()
    assert message.kind == "account_exists"
    assert message.template == "account_exists"
    assert message.language == owner.preferred_language
    # The sign-in link is in the owner's language, not the one of whoever typed the address.
    assert message.context == {"link": f"{settings.PASSAGE_SITE_URL}/fr/connexion/"}


def test_missing_answers_are_each_named_in_the_error_summary(client: Client) -> None:
    html = client.post("/en/account/sign-up/", {}).content.decode()

    assert "There was a problem" in html
    for message in (
        "Choose who you are",
        "Enter your given names",
        "Enter your email address",
        "Choose English or French",
        "Enter a password",
    ):
        assert message in html
    assert not User.objects.exists()


def test_a_person_cannot_sign_up_as_staff(client: Client) -> None:
    response = client.post("/en/account/sign-up/", sign_up_form(role="officer"))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_the_emails_render_with_the_subject_first_and_no_more_than_their_context(
    client: Client,
) -> None:
    client.post("/en/account/sign-up/", sign_up_form())
    client.post("/en/account/sign-up/", sign_up_form())
    verify, exists = OutboxMessage.objects.order_by("pk")

    verify_email, exists_email = build_message(verify), build_message(exists)

    assert verify_email.subject == "Confirmez votre adresse courriel pour Passage"
    assert verification_link("amelie.poulain@example.com") in verify_email.body
    assert "pendant 24 heures." in verify_email.body
    assert exists_email.subject == "Vous avez déjà un compte Passage"
    assert f"{settings.PASSAGE_SITE_URL}/fr/connexion/" in exists_email.body


# --- The same answer, in the same time, and limits --------------------------------------


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting how many passwords it hashed."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).calls += 1
        return super().encode(password, salt)


def hashes_for(client: Client, **form: str) -> int:
    """How many passwords a sign-up hashed."""
    CountingHasher.calls = 0
    client.post("/en/account/sign-up/", sign_up_form(**form))
    return CountingHasher.calls


def test_a_known_address_a_new_one_and_one_over_its_limit_cost_the_same_hashing(
    client: Client, settings: object
) -> None:
    create_user(email="known@example.com")
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]  # type: ignore[attr-defined]

    new = hashes_for(client, email="new@example.com")
    known = hashes_for(client, email="known@example.com")
    for _ in range(3):
        client.post("/en/account/sign-up/", sign_up_form(email="busy@example.com"))
    over_the_limit = hashes_for(client, email="busy@example.com")

    assert new == known == over_the_limit == 1


def test_the_fourth_sign_up_for_one_address_in_an_hour_sends_no_email_and_shows_the_same_page(
    client: Client,
) -> None:
    pages = [client.post("/en/account/sign-up/", sign_up_form(), follow=True) for _ in range(4)]

    emails = OutboxMessage.objects.filter(to_email="amelie.poulain@example.com")
    assert sorted(emails.values_list("kind", flat=True)) == [
        "account_exists",
        "account_exists",
        "verify_email",
    ]
    assert (
        pages[3].redirect_chain
        == pages[2].redirect_chain
        == [("/en/account/sign-up/check-your-email/", 302)]
    )
    html = [without_request_tokens(page.content.decode()) for page in pages]
    assert html[3] == html[2]


def test_the_address_gets_sign_up_emails_again_after_an_hour(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    for _ in range(4):
        client.post("/en/account/sign-up/", sign_up_form())
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=1, seconds=1))

    client.post("/en/account/sign-up/", sign_up_form())

    assert OutboxMessage.objects.filter(to_email="amelie.poulain@example.com").count() == 4


def test_the_eleventh_sign_up_from_one_client_address_in_an_hour_is_a_429_and_writes_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    for n in range(10):
        client.post(
            "/en/account/sign-up/", sign_up_form(email=f"person{n}@example.com"), REMOTE_ADDR=IP_A
        )
    written = (User.objects.count(), OutboxMessage.objects.count(), SignUpAttempt.objects.count())

    refused = client.post(
        "/en/account/sign-up/", sign_up_form(email="eleventh@example.com"), REMOTE_ADDR=IP_A
    )

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert (
        "There were too many attempts to create an account from your connection. "
        "Wait 60 minutes, then try again."
    ) in html
    # The form comes back with what was typed, but not the password.
    assert 'value="eleventh@example.com"' in html
    assert 'value="Amélie"' in html
    assert PASSPHRASE not in html
    assert (
        User.objects.count(),
        OutboxMessage.objects.count(),
        SignUpAttempt.objects.count(),
    ) == written
    assert not User.objects.filter(email="eleventh@example.com").exists()
    # An hour after the first ten, the address may sign up again.
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=1, seconds=1))
    again = client.post(
        "/en/account/sign-up/", sign_up_form(email="eleventh@example.com"), REMOTE_ADDR=IP_A
    )
    assert again.status_code == 302


def test_two_addresses_from_two_client_addresses_are_independent(client: Client) -> None:
    for _ in range(10):
        client.post(
            "/en/account/sign-up/", sign_up_form(email="first@example.com"), REMOTE_ADDR=IP_A
        )

    other = client.post(
        "/en/account/sign-up/", sign_up_form(email="second@example.com"), REMOTE_ADDR=IP_B
    )
    eleventh = client.post(
        "/en/account/sign-up/", sign_up_form(email="second@example.com"), REMOTE_ADDR=IP_A
    )

    # The first address had its three emails, the first client address its ten sign-ups;
    # neither limit touched the second address or the second client address.
    assert OutboxMessage.objects.filter(to_email="first@example.com").count() == 3
    assert other.status_code == 302
    assert list(
        OutboxMessage.objects.filter(to_email="second@example.com").values_list("kind", flat=True)
    ) == ["verify_email"]
    assert eleventh.status_code == 429


# --- No token at rest --------------------------------------------------------------------


def test_the_outbox_keeps_no_verification_token_yet_the_delivered_link_verifies(
    client: Client, smtp_server: SmtpServer
) -> None:
    client.post("/en/account/sign-up/", sign_up_form(preferred_language="en"))

    deliver_due_emails(now=clock.now())

    [received] = smtp_server.inbox.received
    link = link_in(received.body)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    stored = raw_outbox_text()
    assert link not in stored
    assert token not in stored
    assert client.post(link.removeprefix(settings.PASSAGE_SITE_URL)).status_code == 302
    assert User.objects.get(email="amelie.poulain@example.com").is_active


def test_two_sign_ups_with_one_new_address_at_once_make_one_account_and_no_error(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    count_emails = selectors.sign_up_emails_sent

    def the_other_sign_up_commits_first(**kwargs):
        # Between this sign-up's look for an account and its insert.
        create_user(username="amelie.poulain@example.com", email="amelie.poulain@example.com")
        return count_emails(**kwargs)

    monkeypatch.setattr(selectors, "sign_up_emails_sent", the_other_sign_up_commits_first)

    response = client.post("/en/account/sign-up/", sign_up_form())

    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-up/check-your-email/"
    assert User.objects.filter(email__iexact="amelie.poulain@example.com").count() == 1
    assert OutboxMessage.objects.get().kind == "account_exists"
