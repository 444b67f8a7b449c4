from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory

from passage import clock
from passage.accounts import services
from passage.accounts.models import User
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_user
from tests.outbox.outbox import emailed_link

pytestmark = pytest.mark.django_db


def admin_client() -> Client:
    """A superuser signed in with their second factor, as the admin requires."""
    person = create_user(username="ada")
    User.objects.filter(pk=person.pk).update(is_staff=True, is_superuser=True)
    person.refresh_from_db()
    return signed_in_with_mfa(person)


def reset_email() -> OutboxMessage:
    create_user(email="amelie@example.com")
    services.request_password_reset(email="amelie@example.com", now=clock.now())
    return OutboxMessage.objects.get(kind="password_reset")


NOW = datetime(2026, 3, 2, tzinfo=UTC)


def new_message_email(to_email: str = "amelie@example.com") -> OutboxMessage:
    return queue_email(
        kind="new_message",
        to_email=to_email,
        language="en",
        template="new_message",
        context={"link": "https://passage.example/en/"},
        now=NOW,
    )


def retry_in_admin() -> list[str]:
    """Choose "Try the selected failed emails again" on every row; what the admin says."""
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    model_admin = admin.site._registry[OutboxMessage]
    model_admin.retry_failed(request, OutboxMessage.objects.all())  # type: ignore[attr-defined]
    return [str(m) for m in request._messages]  # type: ignore[attr-defined]


def test_the_admin_action_tries_failed_emails_again():
    row = new_message_email()
    OutboxMessage.objects.filter(pk=row.pk).update(status="failed", attempts=20)

    said = retry_in_admin()

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert said == ["1 failed email will be tried again."]


def test_an_email_being_sent_cannot_be_tried_again_by_hand():
    row = new_message_email()
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", sending_since=NOW, attempts=3)

    said = retry_in_admin()

    row.refresh_from_db()
    assert (row.status, row.sending_since, row.attempts) == ("sending", NOW, 3)
    assert said == ["0 failed emails will be tried again."]


def test_the_outbox_list_shows_and_filters_the_emails_being_sent():
    sending = new_message_email("sending@example.com")
    new_message_email("pending@example.com")
    OutboxMessage.objects.filter(pk=sending.pk).update(status="sending", sending_since=NOW)
    client = admin_client()

    listed = client.get("/en/admin/messaging/outboxmessage/?status__exact=sending")
    shown = client.get(f"/en/admin/messaging/outboxmessage/{sending.pk}/change/")

    html = listed.content.decode()
    assert listed.status_code == 200
    assert '<a href="?status__exact=sending">Sending</a>' in html
    assert '<td class="field-status">Sending</td>' in html
    # Staff read times in their office's zone, or the service's (Toronto) without one.
    assert "March 1, 2026, 7 p.m." in html.partition('class="field-sending_since')[2]
    assert "sending@example.com" in html
    assert "pending@example.com" not in html
    assert "Sending since" in shown.content.decode()


def test_the_change_page_of_a_reset_email_shows_no_token_and_cannot_be_edited():
    row = reset_email()
    token = emailed_link(row).rstrip("/").rsplit("/", 1)[-1]
    client = admin_client()
    path = f"/en/admin/messaging/outboxmessage/{row.pk}/change/"

    page = client.get(path)
    changed = client.post(
        path,
        {
            "to_email": "attacker@example.com",
            "template": "password_reset",
            "context": '{"link": "https://evil.example/"}',
        },
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert token not in html
    assert settings.PASSAGE_SITE_URL not in html
    assert "[reference]" in html
    assert "amelie@example.com" in html
    assert 'name="_save"' not in html
    assert changed.status_code == 403
    row.refresh_from_db()
    assert row.to_email == "amelie@example.com"
    assert "link" not in row.context


def test_outbox_rows_cannot_be_added_in_the_admin_and_the_list_shows_no_context():
    row = reset_email()
    client = admin_client()

    listed = client.get("/en/admin/messaging/outboxmessage/")
    add = client.get("/en/admin/messaging/outboxmessage/add/")

    assert add.status_code == 403
    assert listed.status_code == 200
    assert row.context["secret"] not in listed.content.decode()
