"""The upgrade that takes live links and codes out of the outbox (messaging 0003), run on
rows as the earlier code wrote them."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from passage import clock
from passage.accounts import services
from passage.accounts.models import User
from passage.outbox.links import absolute_url
from passage.outbox.models import OutboxMessage
from tests.builders import create_user
from tests.outbox.outbox import emailed_link, raw_outbox_text

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def upgrade() -> None:
    """Run the migration's data step with the current models."""
    migration = importlib.import_module("passage.outbox.migrations.0003_outbox_secrets_removed")
    migration.remove_secrets(apps, None)


def old_row(template: str, status: str = "pending", **context: object) -> OutboxMessage:
    """An outbox row as the code before the upgrade stored it, secret included."""
    return OutboxMessage.objects.create(
        kind=template,
        to_email="amelie@example.com",
        language="en",
        template=template,
        context=context,
        created_at=NOW,
        next_attempt_at=NOW,
        status=status,
    )


def old_verification_link(user: User) -> str:
    token = signing.dumps(
        {"u": user.pk, "e": user.email, "t": int(NOW.timestamp())},
        salt="passage.accounts.verify-email",
    )
    return absolute_url(reverse("accounts:verify-email", kwargs={"token": token}))


def old_reset_link(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = services.password_reset_token(user=user, now=NOW)
    return absolute_url(
        reverse("accounts:password-reset", kwargs={"uidb64": uidb64, "token": token})
    )


def test_sent_and_failed_rows_lose_their_link_or_code() -> None:
    user = create_user(email="amelie@example.com")
    link = old_verification_link(user)
    sent = old_row("verify_email", "sent", name="Amélie", link=link, hours=24)
    failed = old_row("password_reset", "failed", name="Amélie", link=old_reset_link(user))
    code = old_row("link_code", "sent", code="482913", minutes=10)
    notice = old_row("status_changed", "sent", link=f"{SITE}/en/cases/")

    upgrade()

    for row in (sent, failed, code, notice):
        row.refresh_from_db()
    assert sent.context == {"name": "Amélie", "link": "[removed]", "hours": 24}
    assert sent.status == "sent"
    assert failed.context == {"name": "Amélie", "link": "[removed]"}
    assert failed.status == "failed"
    assert code.context == {"code": "[removed]", "minutes": 10}
    # A link without a token stays as it was.
    assert notice.context == {"link": f"{SITE}/en/cases/"}
    stored = raw_outbox_text()
    assert link.rsplit("/", 2)[-2] not in stored
    assert "482913" not in stored


def test_pending_links_become_references_that_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    user = create_user(email="amelie@example.com")
    User.objects.filter(pk=user.pk).update(is_active=False)
    reset_user = create_user(email="leo@example.com")
    verify = old_row("verify_email", name="Amélie", link=old_verification_link(user), hours=24)
    reset_link = old_reset_link(reset_user)
    reset = old_row("password_reset", name="Léo", link=reset_link, minutes=60)
    monkeypatch.setattr(clock, "now", lambda: NOW)

    upgrade()

    verify.refresh_from_db()
    reset.refresh_from_db()
    issued = int(NOW.timestamp())
    assert verify.context == {
        "name": "Amélie",
        "secret": f"verify_email:{user.pk}:{issued}",
        "hours": 24,
    }
    assert reset.context == {
        "name": "Léo",
        "secret": f"password_reset:{reset_user.pk}:{issued}",
        "minutes": 60,
    }
    assert (verify.status, reset.status) == ("pending", "pending")
    # The reset link is made again exactly as it was; the verification link still verifies.
    assert emailed_link(reset) == reset_link
    verified = Client().post(emailed_link(verify).removeprefix(settings.PASSAGE_SITE_URL))
    assert verified.status_code == 302
    assert User.objects.get(pk=user.pk).is_active


def test_pending_codes_and_unreadable_links_fail_and_say_to_ask_again() -> None:
    code = old_row("link_code", code="482913", minutes=10)
    tampered = old_row(
        "verify_email", name="Amélie", link=f"{SITE}/en/account/verify/not-a-token/", hours=24
    )

    upgrade()

    for row in (code, tampered):
        row.refresh_from_db()
        assert row.status == "failed"
        assert "removed from the outbox when Passage was upgraded" in row.last_error
        assert "must ask for a new one" in row.last_error
    assert code.context == {"code": "[removed]", "minutes": 10}
    assert tampered.context["link"] == "[removed]"
