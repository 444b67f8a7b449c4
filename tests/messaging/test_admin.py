from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from passage.messaging.models import OutboxMessage
from passage.messaging.services import queue_email

pytestmark = pytest.mark.django_db


def test_the_admin_action_tries_failed_emails_again():
    row = queue_email(
        kind="new_message",
        to_email="amelie@example.com",
        language="en",
        template="new_message",
        context={"link": "https://passage.example/en/"},
        now=datetime(2026, 3, 2, tzinfo=UTC),
    )
    OutboxMessage.objects.filter(pk=row.pk).update(status="failed", attempts=20)
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    model_admin = admin.site._registry[OutboxMessage]

    model_admin.retry_failed(request, OutboxMessage.objects.all())  # type: ignore[attr-defined]

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert [str(m) for m in request._messages] == ["1 failed email will be tried again."]  # type: ignore[attr-defined]
