"""Sign-up: an account that cannot sign in until its email address is verified by a link
that works once and expires, and no way to learn from the page who has an account."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.messaging.delivery import build_message
from passage.messaging.models import OutboxMessage
from tests.builders import create_user

pytestmark = pytest.mark.django_db

PASSPHRASE = "lantern orchard velvet quarry"


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
    message = OutboxMessage.objects.get(to_email=email, kind="verify_email")
    link = message.context["link"]
    return link.removeprefix(settings.PASSAGE_SITE_URL)


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
    assert set(message.context) == {"name", "link", "hours"}
    # The link is on the public site, in the language the person chose.
    assert message.context["link"].startswith(f"{settings.PASSAGE_SITE_URL}/fr/compte/")

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
    assert verify.context["link"] in verify_email.body
    assert "pendant 24 heures." in verify_email.body
    assert exists_email.subject == "Vous avez déjà un compte Passage"
    assert f"{settings.PASSAGE_SITE_URL}/fr/connexion/" in exists_email.body
