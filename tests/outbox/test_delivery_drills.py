"""Fault drills of email delivery: the mail server down, the mail server hanging, and the
database dropping the worker's connection in the middle of a batch. Each ends with every
email arrived exactly once. Passes run as the worker runs them: committed, one by one."""

import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.db import DatabaseError, InterfaceError, close_old_connections, connections

from passage.outbox.delivery import DeliveryPass, deliver_due_emails
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email
from tests.outbox.smtp import Received, SilentServer

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
LATER = timedelta(hours=2)  # past any retry wait


def queue_many(count: int) -> list[OutboxMessage]:
    return [
        queue_email(
            kind="new_message",
            to_email=f"person{n}@example.com",
            language="en",
            template="new_message",
            context={"link": "https://passage.example/en/sign-in/"},
            now=NOW,
        )
        for n in range(count)
    ]


def worker_pass(now: datetime) -> DeliveryPass | None:
    """One pass as `passage deliver_email --every` runs it; None when the database failed it."""
    close_old_connections()
    try:
        return deliver_due_emails(now=now, rng=random.Random(7))
    except (DatabaseError, InterfaceError):
        return None


def assert_each_arrived_once(smtp_server, rows: list[OutboxMessage]) -> None:
    assert sorted(smtp_server.inbox.message_ids()) == sorted(row.message_id for row in rows)
    stored = set(OutboxMessage.objects.values_list("status", "sending_since", "last_error"))
    assert stored == {("sent", None, "")}


def test_drill_with_the_mail_server_down_every_email_arrives_once_when_it_is_back(smtp_server):
    rows = queue_many(12)
    smtp_server.stop()

    down = [worker_pass(NOW + timedelta(seconds=s)) for s in (0, 5, 10, 60, 600)]

    assert all(done is not None and done.sent == 0 for done in down)
    assert smtp_server.inbox.received == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    smtp_server.start()

    back = [worker_pass(NOW + LATER * n) for n in (1, 2, 3)]

    assert back == [DeliveryPass(sent=12), DeliveryPass(), DeliveryPass()]
    assert_each_arrived_once(smtp_server, rows)


def test_drill_with_the_mail_server_hanging_passes_give_up_and_every_email_arrives_once(
    smtp_server, settings
):
    settings.EMAIL_TIMEOUT = 1
    rows = queue_many(12)
    smtp_server.stop()
    silent = SilentServer(smtp_server.port)
    silent.start()

    try:
        timings = []
        for seconds in (0, 600):
            started = time.monotonic()
            done = worker_pass(NOW + timedelta(seconds=seconds))
            timings.append(time.monotonic() - started)
            assert done is not None
            assert done.sent == 0
            assert done.retrying > 0
    finally:
        silent.stop()

    assert all(taken < settings.EMAIL_TIMEOUT + 1 for taken in timings)
    assert smtp_server.inbox.received == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    errors = set(OutboxMessage.objects.values_list("last_error", flat=True))
    assert errors == {"SMTPServerDisconnected: Connection unexpectedly closed: timed out"}
    smtp_server.start()

    back = [worker_pass(NOW + LATER * n) for n in (1, 2, 3)]

    assert sum(done.sent for done in back if done) == 12
    assert_each_arrived_once(smtp_server, rows)


@pytest.mark.postgres_only
def test_drill_with_the_database_dropping_the_worker_mid_batch_every_email_arrives_once(
    smtp_server,
):
    rows = queue_many(12)
    worker = connections["default"]
    worker.ensure_connection()
    settings_dict = worker.settings_dict
    dropped: list[int] = []

    def drop_the_worker(admin: psycopg.Connection) -> None:
        pid = worker.connection.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        # Gone before the worker hears that its message was accepted.
        deadline = time.monotonic() + 5
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        dropped.append(pid)

    def between_acceptance_and_record(received: Received) -> None:
        # The 3rd and the 10th (the last of the first batch of 10).
        if len(smtp_server.inbox.received) in (3, 10):
            with psycopg.connect(
                host=settings_dict["HOST"],
                port=settings_dict["PORT"] or 5432,
                user=settings_dict["USER"],
                dbname=settings_dict["NAME"],
                autocommit=True,
            ) as admin:
                drop_the_worker(admin)

    smtp_server.inbox.on_accept = between_acceptance_and_record
    passes = []
    try:
        for n in range(4):
            passes.append(worker_pass(NOW + LATER * n))
    finally:
        smtp_server.inbox.on_accept = None

    assert len(dropped) == 2
    assert len(set(dropped)) == 2  # the worker came back on a new connection each time
    # It kept each acceptance in mind until it could record it: no pass was lost.
    assert passes == [DeliveryPass(sent=12), DeliveryPass(), DeliveryPass(), DeliveryPass()]
    assert_each_arrived_once(smtp_server, rows)
