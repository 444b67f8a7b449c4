from datetime import UTC, datetime

import pytest

from passage.outbox import emails
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email, retry_failed_emails

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def queue(template="status_changed", **context):
    return queue_email(
        kind=template,
        to_email="amelie@example.com",
        language="fr",
        template=template,
        context=context,
        now=NOW,
    )


def test_a_queued_email_is_pending_due_now_with_the_templates_current_version(monkeypatch):
    monkeypatch.setitem(emails.CURRENT_VERSIONS, "status_changed", 3)

    row = queue(link="https://passage.example/fr/")

    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, NOW)
    assert row.template_version == 3


@pytest.mark.parametrize(
    "key",
    [
        "step",
        "decision",
        "officer_note",
        "answers",
        "documents",
        "message",
        "status",
        "sign_in_url",
    ],
)
def test_context_outside_the_allow_list_is_refused_and_nothing_is_queued(key):
    with pytest.raises(ValueError, match=key):
        queue(link="https://passage.example/fr/", **{key: "Background check: refused"})

    assert not OutboxMessage.objects.exists()


def test_context_values_must_be_plain_strings_or_numbers():
    with pytest.raises(ValueError, match="link"):
        queue(link={"step": "eligibility"})
    assert not OutboxMessage.objects.exists()


def test_an_unknown_template_is_refused():
    with pytest.raises(ValueError, match="decision_letter"):
        queue(template="decision_letter", link="https://passage.example/fr/")


def test_retrying_failed_emails_makes_them_due_again_and_leaves_the_others_alone():
    failed = queue(link="https://passage.example/fr/")
    sent = queue(link="https://passage.example/fr/")
    OutboxMessage.objects.filter(pk=failed.pk).update(status="failed", attempts=20)
    OutboxMessage.objects.filter(pk=sent.pk).update(status="sent", attempts=1)
    later = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)

    count = retry_failed_emails(ids=[failed.pk, sent.pk], now=later)

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert count == 1
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("pending", 0, later)
    assert sent.status == "sent"


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("password_reset", {"link": "https://passage.example/en/account/reset/MQ/tok-en/"}),
        ("verify_email", {"link": "https://passage.example/en/account/verify/token/"}),
        ("link_code", {"code": "482913"}),
    ],
)
def test_a_link_or_code_that_opens_an_account_or_a_case_is_refused_at_queue_time(template, context):
    with pytest.raises(ValueError, match=template):
        queue(template=template, minutes=60, **context)

    assert not OutboxMessage.objects.exists()


def test_those_emails_take_a_reference_to_their_secret_and_the_others_none():
    with pytest.raises(ValueError, match="secret"):
        queue(template="password_reset", minutes=60)
    with pytest.raises(ValueError, match="secret"):
        queue(template="password_reset", secret="verify_email:1:2", minutes=60)
    with pytest.raises(ValueError, match="secret"):
        queue(link="https://passage.example/fr/", secret="status_changed:1")

    row = queue(template="password_reset", secret="password_reset:1:2", minutes=60)
    assert row.context == {"secret": "password_reset:1:2", "minutes": 60}
