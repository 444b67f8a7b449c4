import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import OperationalError, connection

from passage.outbox import delivery, emails, references
from passage.outbox.delivery import (
    ABANDONED,
    DeliveryPass,
    deliver_due_emails,
    release_abandoned_sends,
)
from passage.outbox.models import OutboxMessage
from passage.outbox.services import queue_email, retry_failed_emails
from tests.builders import submit_case

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
LATER = timedelta(hours=2)  # past any retry wait


def queue(to_email="amelie@example.com", language="en", template="new_message", **context):
    return queue_email(
        kind=template,
        to_email=to_email,
        language=language,
        template=template,
        context=context or {"link": "https://passage.example/en/sign-in/"},
        now=NOW,
    )


def deliver(now=NOW, **options):
    return deliver_due_emails(now=now, rng=random.Random(7), **options)


def test_a_queued_email_arrives_once_in_its_language_with_the_rows_message_id(
    smtp_server, monkeypatch
):
    monkeypatch.setitem(
        references._resolvers,
        "verify_email",
        lambda parts, language: f"https://passage.example/{language}/compte/verifier/abc/",
    )
    row = queue(
        language="fr",
        template="verify_email",
        name="Amélie",
        secret="verify_email:42:1772460000",
        hours=24,
    )

    done = deliver()

    assert done == DeliveryPass(sent=1)
    [received] = smtp_server.inbox.received
    assert received.recipients == ["amelie@example.com"]
    assert received.message["Subject"] == "Confirmez votre adresse courriel pour Passage"
    assert received.message["Message-ID"] == row.message_id == f"<outbox-{row.pk}@passage.example>"
    assert received.message["Content-Language"] == "fr"
    assert "Bonjour Amélie," in received.body
    assert "https://passage.example/fr/compte/verifier/abc/" in received.body
    row.refresh_from_db()
    assert (row.status, row.sent_at, row.attempts) == ("sent", NOW, 1)


def test_a_sent_email_is_never_sent_again_on_later_passes(smtp_server):
    row = queue()
    deliver()

    again = [deliver(now=NOW + LATER * n) for n in range(1, 4)]
    # Even when it looks due again, a row once sent is not claimed.
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=NOW)
    again.append(deliver(now=NOW + LATER * 5))

    assert again == [DeliveryPass()] * 4
    assert smtp_server.inbox.message_ids() == [row.message_id]


def test_while_the_mail_server_is_down_nothing_is_lost_and_each_email_arrives_exactly_once(
    smtp_server,
):
    rows = [queue(to_email=f"person{n}@example.com") for n in range(5)]
    smtp_server.stop()

    passes = [deliver(now=NOW + timedelta(seconds=s), batch_size=2) for s in (0, 5, 10, 15)]

    assert sum(p.sent for p in passes) == 0
    for row in rows:
        row.refresh_from_db()
        assert row.status == "pending"
        assert row.sent_at is None
        assert row.attempts >= 1
        assert "Connection" in row.last_error
        assert row.next_attempt_at > NOW + timedelta(seconds=15)
    assert smtp_server.inbox.received == []

    smtp_server.start()
    deliver(now=NOW + timedelta(seconds=20), batch_size=2)  # nothing due yet: backing off
    assert smtp_server.inbox.received == []
    back = deliver(now=NOW + LATER, batch_size=2)
    more = deliver(now=NOW + 2 * LATER, batch_size=2)

    assert (back, more) == (DeliveryPass(sent=5), DeliveryPass())
    assert sorted(smtp_server.inbox.message_ids()) == sorted(row.message_id for row in rows)
    assert OutboxMessage.objects.filter(status="sent").count() == 5


def test_the_wait_between_attempts_grows_and_is_capped(smtp_server, settings):
    settings.PASSAGE_EMAIL_RETRY_BASE_SECONDS = 60
    settings.PASSAGE_EMAIL_RETRY_CAP_SECONDS = 600
    row = queue()
    smtp_server.stop()

    waits = []
    at = NOW
    for _ in range(6):
        deliver(now=at)
        row.refresh_from_db()
        waits.append((row.next_attempt_at - at).total_seconds())
        at = row.next_attempt_at

    assert 30 <= waits[0] <= 60
    assert 60 <= waits[1] <= 120
    assert 120 <= waits[2] <= 240
    assert all(300 <= wait <= 600 for wait in waits[4:])
    assert row.attempts == 6


def test_after_the_maximum_attempts_an_email_is_failed_until_someone_retries_it(
    smtp_server, settings
):
    settings.PASSAGE_EMAIL_MAX_ATTEMPTS = 3
    row = queue()
    smtp_server.stop()

    passes = [deliver(now=NOW + LATER * n) for n in range(4)]

    row.refresh_from_db()
    assert [p.retrying for p in passes] == [1, 1, 0, 0]
    assert passes[2].failed == 1
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error

    smtp_server.start()
    assert deliver(now=NOW + LATER * 5) == DeliveryPass()
    assert retry_failed_emails(ids=[row.pk], now=NOW + LATER * 6) == 1
    assert deliver(now=NOW + LATER * 6) == DeliveryPass(sent=1)
    assert smtp_server.inbox.message_ids() == [row.message_id]


def test_a_refused_address_waits_for_its_retry_without_holding_up_the_others(smtp_server):
    smtp_server.inbox.refuse.add("gone@example.com")
    refused = queue(to_email="gone@example.com")
    fine = queue(to_email="here@example.com")

    done = deliver()

    assert done == DeliveryPass(sent=1, retrying=1)
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert "SMTPRecipientsRefused" in refused.last_error
    assert smtp_server.inbox.message_ids() == [fine.message_id]


def test_a_retry_sends_the_template_version_the_email_was_queued_with(smtp_server, monkeypatch):
    row = queue()
    monkeypatch.setitem(emails.CURRENT_VERSIONS, "new_message", 3)
    newer = queue()

    deliver()

    assert (row.template_version, newer.template_version) == (2, 3)
    row.refresh_from_db()
    newer.refresh_from_db()
    assert row.status == "sent"
    # Version 3 does not exist: the row queued with it fails, the older one is unaffected.
    assert newer.status == "failed"
    assert "v3.txt" in newer.last_error
    assert smtp_server.inbox.message_ids() == [row.message_id]


def test_submitting_an_application_ends_with_its_confirmation_delivered_over_smtp(smtp_server):
    case = submit_case(now=NOW)

    deliver(now=NOW)

    [received] = smtp_server.inbox.received
    assert received.recipients == ["amelie@example.com"]
    assert received.message["Content-Language"] == "fr"
    assert case.reference in received.message["Subject"]
    assert case.reference in received.body
    assert "http://127.0.0.1:8000/fr/connexion/" in received.body
    # (The random reference may hold any digits, so it is set aside first.)
    body = received.body.replace(case.reference, "REFERENCE")
    for case_detail in ("Amélie", "Poulain", "passport", "working-holiday", "3000"):
        assert case_detail not in body


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_send_each_email_once(smtp_server):
    rows = [queue(to_email=f"person{n}@example.com") for n in range(40)]
    start = threading.Barrier(2)
    results: list[DeliveryPass] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(deliver_due_emails(now=NOW, batch_size=3, rng=random.Random()))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(r.sent for r in results) == 40
    assert all(r.sent > 0 for r in results)
    ids = smtp_server.inbox.message_ids()
    assert sorted(ids) == sorted(row.message_id for row in rows)
    assert OutboxMessage.objects.filter(status="sent").count() == 40


def test_an_email_that_cannot_be_sent_fails_alone_and_the_ones_before_it_stay_sent(smtp_server):
    first = queue()
    # A line break in the address: the mail library refuses to build the message.
    OutboxMessage.objects.filter(pk=queue().pk).update(to_email="bad\n@example.com")
    last = queue(to_email="leo@example.com")

    done = deliver()

    assert done == DeliveryPass(sent=2, failed=1)
    assert smtp_server.inbox.message_ids() == [first.message_id, last.message_id]
    statuses = list(OutboxMessage.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "failed", "sent"]
    assert deliver(now=NOW + LATER) == DeliveryPass()


def test_an_email_whose_reference_no_longer_resolves_fails_alone(smtp_server, monkeypatch):
    def gone(parts, language):
        raise references.UnresolvedSecret("the account this link was for no longer exists")

    monkeypatch.setitem(references._resolvers, "password_reset", gone)
    first = queue()
    orphan = queue(template="password_reset", secret="password_reset:42:1772460000", minutes=60)
    last = queue(to_email="leo@example.com")

    done = deliver()

    assert done == DeliveryPass(sent=2, failed=1)
    assert smtp_server.inbox.message_ids() == [first.message_id, last.message_id]
    orphan.refresh_from_db()
    assert orphan.status == "failed"
    assert orphan.last_error == "UnresolvedSecret: the account this link was for no longer exists"


class WorkerKilled(BaseException):
    """The process ends here, as under kill -9: nothing after it runs."""


def test_a_database_error_while_recording_a_sent_email_does_not_send_it_again(
    smtp_server, monkeypatch
):
    rows = [queue(to_email=f"person{n}@example.com") for n in range(5)]
    mark_sent = delivery._mark_sent
    seen_when_failing: list[int] = []
    waits: list[float] = []

    def database_gone_twice_for_the_third(row, **kwargs):
        if row.pk == rows[2].pk and len(seen_when_failing) < 2:
            seen_when_failing.append(len(smtp_server.inbox.received))
            raise OperationalError("server closed the connection unexpectedly")
        mark_sent(row, **kwargs)

    monkeypatch.setattr(delivery, "_mark_sent", database_gone_twice_for_the_third)
    monkeypatch.setattr(delivery, "_pause", waits.append)

    done = deliver()
    later = [deliver(now=NOW + LATER * n) for n in (1, 2)]

    assert done == DeliveryPass(sent=5)
    assert later == [DeliveryPass(), DeliveryPass()]
    # The record was tried again, after a growing wait, before anything else was sent.
    assert seen_when_failing == [3, 3]
    assert waits == [0.1, 0.2]
    assert sorted(smtp_server.inbox.message_ids()) == sorted(row.message_id for row in rows)
    statuses = OutboxMessage.objects.values_list("status", "attempts", "last_error")
    assert set(statuses) == {("sent", 1, "")}


def test_an_email_left_sending_by_a_dead_worker_is_sent_again_after_the_lease_and_only_then(
    smtp_server, monkeypatch, settings
):
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 300
    row = queue()

    def killed(row, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as dying:
        dying.setattr(delivery, "_mark_sent", killed)
        with pytest.raises(WorkerKilled):
            deliver()
    row.refresh_from_db()
    assert (row.status, row.sending_since, row.sent_at) == ("sending", NOW, None)

    before = [deliver(now=NOW + timedelta(seconds=s)) for s in (5, 60, 299)]
    row.refresh_from_db()
    assert before == [DeliveryPass()] * 3
    assert row.status == "sending"
    assert smtp_server.inbox.message_ids() == [row.message_id]

    after = deliver(now=NOW + timedelta(seconds=300))

    assert after == DeliveryPass(sent=1)
    # The one duplicate the guarantee allows: the worker died between acceptance and
    # record. It carries the same Message-ID.
    assert smtp_server.inbox.message_ids() == [row.message_id, row.message_id]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.sending_since) == ("sent", 2, "", None)
    assert deliver(now=NOW + LATER) == DeliveryPass()


def test_an_email_taken_back_from_a_dead_worker_says_it_may_have_gone_out(settings):
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 60
    settings.PASSAGE_EMAIL_MAX_ATTEMPTS = 3
    fresh, stale, last_try = queue(), queue(), queue()
    claimed = OutboxMessage.objects.filter(pk__in=[fresh.pk, stale.pk, last_try.pk])
    claimed.update(status="sending", sending_since=NOW - timedelta(seconds=60), attempts=1)
    claimed.filter(pk=fresh.pk).update(sending_since=NOW - timedelta(seconds=59))
    claimed.filter(pk=last_try.pk).update(attempts=2)

    assert release_abandoned_sends(now=NOW) == 2

    rows = {row.pk: row for row in OutboxMessage.objects.all()}
    assert (rows[fresh.pk].status, rows[fresh.pk].attempts) == ("sending", 1)
    taken_back = rows[stale.pk]
    assert (taken_back.status, taken_back.attempts) == ("pending", 2)
    assert (taken_back.next_attempt_at, taken_back.sending_since) == (NOW, None)
    assert taken_back.last_error == ABANDONED
    assert "may have gone out once already" in ABANDONED
    assert (rows[last_try.pk].status, rows[last_try.pk].attempts) == ("failed", 3)
    assert rows[last_try.pk].last_error == ABANDONED


def test_a_sent_email_no_longer_shows_its_old_error(smtp_server):
    row = queue()
    smtp_server.stop()
    deliver()
    row.refresh_from_db()
    assert "Connection" in row.last_error
    smtp_server.start()

    assert deliver(now=NOW + LATER) == DeliveryPass(sent=1)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_a_message_the_mail_server_refuses_is_tried_again_after_its_backoff(smtp_server):
    smtp_server.inbox.refuse.add("amelie@example.com")
    row = queue()

    first = deliver()

    row.refresh_from_db()
    assert first == DeliveryPass(retrying=1)
    assert (row.status, row.attempts, row.sending_since) == ("pending", 1, None)
    assert "SMTPRecipientsRefused" in row.last_error
    # The first wait is drawn between half and all of the base (60 s).
    assert NOW + timedelta(seconds=30) <= row.next_attempt_at <= NOW + timedelta(seconds=60)
    smtp_server.inbox.refuse.clear()
    assert deliver(now=row.next_attempt_at - timedelta(seconds=1)) == DeliveryPass()
    assert smtp_server.inbox.received == []

    again = deliver(now=row.next_attempt_at)

    assert again == DeliveryPass(sent=1)
    assert smtp_server.inbox.message_ids() == [row.message_id]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_a_worker_held_up_past_its_lease_does_not_send_what_another_worker_took_over(
    smtp_server, monkeypatch, settings
):
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 60
    first, second = queue(), queue(to_email="leo@example.com")
    mark_sent = delivery._mark_sent
    held: list[int] = []
    other_worker: list[DeliveryPass] = []

    def held_up_while_recording_the_first(row, **kwargs):
        if row.pk == first.pk and not held:
            held.append(row.pk)
            # Meanwhile, a minute and more on, another worker finds the batch abandoned.
            other_worker.append(deliver(now=NOW + timedelta(seconds=61)))
        mark_sent(row, **kwargs)

    monkeypatch.setattr(delivery, "_mark_sent", held_up_while_recording_the_first)

    held_up = deliver()

    # The other worker sent both (the first a second time: it had not been recorded).
    assert other_worker == [DeliveryPass(sent=2)]
    assert held_up == DeliveryPass(sent=1)
    ids = smtp_server.inbox.message_ids()
    assert ids.count(second.message_id) == 1
    assert ids.count(first.message_id) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_never_sends_an_email_another_worker_is_sending(smtp_server, settings):
    settings.PASSAGE_EMAIL_SENDING_LEASE_SECONDS = 60
    row = queue()
    OutboxMessage.objects.filter(pk=row.pk).update(status="sending", sending_since=NOW)

    passes = [deliver(now=NOW + timedelta(seconds=s)) for s in (0, 30, 59)]

    assert passes == [DeliveryPass()] * 3
    assert smtp_server.inbox.received == []
