import pytest
from django.core.management import call_command

from passage import clock
from passage.messaging.models import OutboxMessage
from passage.messaging.services import queue_email

pytestmark = pytest.mark.django_db


def test_one_pass_sends_what_is_due_and_says_so(smtp_server, capsys):
    for n in range(3):
        queue_email(
            kind="status_changed",
            to_email=f"person{n}@example.com",
            language="en",
            template="status_changed",
            context={"link": "https://passage.example/en/"},
            now=clock.now(),
        )

    call_command("deliver_email", "--batch", "2")

    assert "3 sent, 0 to try again, 0 failed" in capsys.readouterr().out
    assert len(smtp_server.inbox.received) == 3
    assert not OutboxMessage.objects.filter(status="pending").exists()
