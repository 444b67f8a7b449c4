import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError

from passage import clock
from passage.outbox import delivery
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email

pytestmark = pytest.mark.django_db


def queue(n: int) -> OutboxMessage:
    return queue_email(
        kind="status_changed",
        to_email=f"person{n}@example.com",
        language="en",
        template="status_changed",
        context={"link": "https://passage.example/en/"},
        now=clock.now(),
    )


def fails_once(function, error):
    """`function`, except that its first call raises `error`."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error
        return function(*args, **kwargs)

    return wrapper


def stop_after(passes: int, monkeypatch) -> None:
    """Ctrl-C in the worker's sleep after that many passes (other threads sleep as usual)."""
    real_sleep, worker, slept = time.sleep, threading.current_thread(), []

    def sleep(seconds: float) -> None:
        if threading.current_thread() is not worker:
            return real_sleep(seconds)
        slept.append(seconds)
        if len(slept) == passes:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", sleep)


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


@pytest.mark.django_db(transaction=True)  # the worker closes its connection between passes
def test_the_worker_goes_on_through_database_outages_in_a_claim_a_send_and_a_record(
    smtp_server, monkeypatch, settings, capsys
):
    # A row a failed pass left sending is taken back by the next pass.
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 0
    rows = [queue(n) for n in range(3)]
    gone = OperationalError("terminating connection due to administrator command")
    monkeypatch.setattr(delivery, "_claim", fails_once(delivery._claim, gone))
    closed = InterfaceError("connection already closed")
    monkeypatch.setattr(delivery, "build_message", fails_once(delivery.build_message, closed))
    monkeypatch.setattr(delivery, "_mark_sent", fails_once(delivery._mark_sent, gone))
    monkeypatch.setattr(delivery, "_pause", lambda seconds: None)
    stop_after(3, monkeypatch)

    call_command("deliver_email", "--every", "1")

    output = capsys.readouterr()
    assert output.err.count("Email delivery pass failed, trying again") == 2
    assert "3 sent" in output.out
    assert sorted(smtp_server.inbox.message_ids()) == sorted(row.message_id for row in rows)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_that_starts_sends_again_what_a_dead_worker_left_sending(
    smtp_server, settings, capsys
):
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 60
    row = queue(0)
    OutboxMessage.objects.filter(pk=row.pk).update(
        status="sending", sending_since=clock.now() - timedelta(seconds=61)
    )

    call_command("deliver_email")

    assert "1 sent, 0 to try again, 0 failed" in capsys.readouterr().out
    assert smtp_server.inbox.message_ids() == [row.message_id]
