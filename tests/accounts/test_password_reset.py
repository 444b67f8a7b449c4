"""Password reset: a link by email that works once and for a short time, the same answer
whether or not an account has the address, the same password rules as at sign-up, and
every other session ended. A reset never skips the second factor."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from passage import clock
from passage.accounts import selectors, services
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.outbox.delivery import deliver_due_emails
from passage.outbox.emails import render_email
from passage.outbox.models import OutboxMessage
from tests.accounts.builders import create_authenticator
from tests.builders import create_user, without_request_tokens
from tests.outbox.outbox import emailed_link, link_in, raw_outbox_text
from tests.outbox.smtp import SmtpServer

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "lantern orchard velvet quarry"


def reset_emails(email: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to_email=email, kind="password_reset"))


def link_path(message: OutboxMessage) -> str:
    """The path of the link the reset email gives, built as when it is sent."""
    return emailed_link(message).removeprefix(settings.PASSAGE_SITE_URL)


def parts(message: OutboxMessage) -> tuple[str, str]:
    """The uidb64 and token at the end of a reset link."""
    uidb64, token = link_path(message).rstrip("/").split("/")[-2:]
    return uidb64, token


def ask_for_link(person: User, *, at: object = None) -> OutboxMessage:
    services.request_password_reset(email=person.email, now=at or clock.now())  # type: ignore[arg-type]
    return reset_emails(person.email)[-1]


# --- Asking for a link -------------------------------------------------------------------


def test_asking_for_a_link_emails_the_account_in_its_language() -> None:
    person = create_user(email="amelie@example.com", first_name="Amélie", preferred_language="fr")

    services.request_password_reset(email="  AMELIE@example.com ", now=clock.now())

    (message,) = reset_emails("amelie@example.com")
    assert message.language == "fr"
    assert message.context["name"] == "Amélie"
    assert message.context["minutes"] == 60
    assert link_path(message).startswith("/fr/compte/")
    email = render_email(
        template="password_reset", version=1, language="fr", context=message.context
    )
    assert f"{settings.PASSAGE_SITE_URL}{link_path(message)}" in email.body
    assert person.pk


def test_an_unknown_or_closed_address_gets_no_email_and_the_same_page(client: Client) -> None:
    closed = create_user(email="closed@example.com")
    closed.is_active = False
    closed.save()
    create_user(email="known@example.com")

    pages = [
        client.post("/en/account/forgot-password/", {"email": address}, follow=True)
        for address in ("nobody@example.com", "closed@example.com", "known@example.com")
    ]

    assert [page.redirect_chain for page in pages] == [
        [("/en/account/forgot-password/check-your-email/", 302)]
    ] * 3
    texts = [
        without_request_tokens(page.content.decode()).replace(address, "ADDRESS")
        for page, address in zip(
            pages, ("nobody@example.com", "closed@example.com", "known@example.com"), strict=True
        )
    ]
    assert texts[0] == texts[1] == texts[2]
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == ["known@example.com"]


def test_an_address_gets_at_most_a_few_reset_emails_an_hour_and_the_page_does_not_say(
    client: Client,
) -> None:
    create_user(email="amelie@example.com")
    start = clock.now()
    for minute in range(5):
        services.request_password_reset(
            email="amelie@example.com", now=start + timedelta(minutes=minute)
        )
    answer = client.post("/en/account/forgot-password/", {"email": "amelie@example.com"})

    assert (
        len(reset_emails("amelie@example.com")) == settings.PASSAGE_PASSWORD_RESET_EMAILS_PER_HOUR
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/en/account/forgot-password/check-your-email/"
    services.request_password_reset(email="amelie@example.com", now=start + timedelta(minutes=61))
    assert len(reset_emails("amelie@example.com")) == 4


def test_the_sign_in_page_links_to_password_reset(client: Client) -> None:
    assert 'href="/en/account/forgot-password/"' in client.get("/en/sign-in/").content.decode()


# --- Using the link ----------------------------------------------------------------------


def test_opening_the_link_changes_nothing(client: Client) -> None:
    person = create_user(email="amelie@example.com")
    message = ask_for_link(person)

    page = client.get(link_path(message))
    again = client.get(link_path(message))

    assert page.status_code == again.status_code == 200
    assert "Choose a new password" in page.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD_PASSWORD)


def test_a_new_password_ends_other_sessions_and_the_link_then_stops_working(
    client: Client,
) -> None:
    person = create_user(email="amelie@example.com")
    elsewhere = Client()
    elsewhere.force_login(person)
    assert elsewhere.get("/en/account/").status_code == 200
    # The link as the email gave it: made once, when it was sent.
    link = link_path(ask_for_link(person))

    done = client.post(link, {"password": NEW_PASSWORD}, follow=True)
    replay = client.post(link, {"password": "another fine long passphrase"})

    assert done.redirect_chain == [("/en/sign-in/", 302)]
    assert "Your password is changed" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert elsewhere.get("/en/account/").status_code == 302
    assert replay.status_code == 400
    assert "This link does not work" in replay.content.decode()
    (changed,) = OutboxMessage.objects.filter(kind="password_changed")
    assert changed.to_email == "amelie@example.com"
    assert changed.context["link"].endswith("/en/sign-in/")


def test_a_link_expires_after_the_configured_minutes() -> None:
    person = create_user(email="amelie@example.com")
    start = clock.now()
    uidb64, token = parts(ask_for_link(person, at=start))

    in_time = start + timedelta(minutes=59)
    too_late = start + timedelta(minutes=61)

    assert services.person_for_password_reset(uidb64=uidb64, token=token, now=in_time) == person
    assert services.person_for_password_reset(uidb64=uidb64, token=token, now=too_late) is None
    with pytest.raises(services.PasswordResetError):
        services.reset_password(uidb64=uidb64, token=token, password=NEW_PASSWORD, now=too_late)


def test_a_link_made_for_one_account_does_not_open_another() -> None:
    person = create_user(email="amelie@example.com")
    other = create_user(email="other@example.com")
    _, token = parts(ask_for_link(person))
    other_uid, _ = parts(ask_for_link(other))

    assert (
        services.person_for_password_reset(uidb64=other_uid, token=token, now=clock.now()) is None
    )
    assert (
        services.person_for_password_reset(uidb64="not-base64!", token=token, now=clock.now())
        is None
    )


def test_a_breached_password_is_refused_in_the_error_summary(client: Client) -> None:
    person = create_user(email="amelie@example.com")
    message = ask_for_link(person)

    page = client.post(link_path(message), {"password": "baseball123456"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error:" in html
    assert "gc-error-summary" in html
    assert "on a list of passwords that attackers try first" in html
    person.refresh_from_db()
    assert person.check_password(OLD_PASSWORD)


def test_a_reset_clears_the_lockout_of_the_account(client: Client) -> None:
    person = create_user(username="amelie@example.com", email="amelie@example.com")
    for _ in range(5):
        client.post("/en/sign-in/", {"username": "amelie@example.com", "password": "wrong"})
    assert selectors.sign_in_blocked(
        username="amelie@example.com", ip_address=None, now=clock.now()
    )

    client.post(link_path(ask_for_link(person)), {"password": NEW_PASSWORD})

    assert not selectors.sign_in_blocked(
        username="amelie@example.com", ip_address=None, now=clock.now()
    )
    signed_in = client.post(
        "/en/sign-in/", {"username": "amelie@example.com", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_second_factor_is_still_asked_after_a_reset(client: Client) -> None:
    person = create_user(Role.OFFICER, username="officer@example.com", email="officer@example.com")
    create_authenticator(person)

    client.post(link_path(ask_for_link(person)), {"password": NEW_PASSWORD})
    answer = client.post(
        "/en/sign-in/", {"username": "officer@example.com", "password": NEW_PASSWORD}
    )

    assert answer["Location"] == "/en/account/sign-in/code/"
    assert client.get("/en/account/").status_code == 302  # still signed out


def test_the_outbox_keeps_no_reset_token_yet_the_delivered_link_resets_the_password(
    client: Client, smtp_server: SmtpServer
) -> None:
    person = create_user(email="amelie@example.com")
    services.request_password_reset(email="amelie@example.com", now=clock.now())

    deliver_due_emails(now=clock.now())

    [received] = smtp_server.inbox.received
    link = link_in(received.body)
    uidb64, token = link.rstrip("/").split("/")[-2:]
    stored = raw_outbox_text()
    assert link not in stored
    assert token not in stored
    assert f"{uidb64}/{token}" not in stored
    done = client.post(link.removeprefix(settings.PASSAGE_SITE_URL), {"password": NEW_PASSWORD})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_reset_email_for_an_account_closed_before_it_is_sent_fails_alone(
    smtp_server: SmtpServer,
) -> None:
    closed = create_user(email="closed@example.com")
    create_user(email="amelie@example.com")
    services.request_password_reset(email="closed@example.com", now=clock.now())
    services.request_password_reset(email="amelie@example.com", now=clock.now())
    closed.delete()

    done = deliver_due_emails(now=clock.now())

    assert (done.sent, done.failed) == (1, 1)
    [received] = smtp_server.inbox.received
    assert received.recipients == ["amelie@example.com"]
    failed = OutboxMessage.objects.get(to_email="closed@example.com")
    assert failed.status == "failed"
    assert "no longer exists" in failed.last_error
