"""`passage mail serve`'s receiver, spoken to by a real SMTP client on loopback: each
message kept once and acknowledged once, in the client's language, through the outbox
to a real SMTP server; loops refused; a message too large refused at SMTP, so the
sender's server says so; a message that cannot be kept answered "try again later"."""

import smtplib
from collections.abc import Iterator
from email.header import decode_header, make_header

import pytest

from passage import clock
from passage.correspondence.models import InboundEmail
from passage.correspondence.receiver import controller
from passage.outbox.delivery import deliver_due_emails
from tests.correspondence.messages import FRENCH_STATUS, client_email
from tests.outbox.smtp import HOST, SmtpServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver() -> Iterator[int]:
    """The receiver on a free loopback port; its port."""
    port = free_port()
    running = controller(HOST, port)
    running.start()
    yield port
    running.stop()


def send(port: int, raw: bytes, sender: str = "ana@example.org") -> None:
    with smtplib.SMTP(HOST, port, timeout=10) as client:
        client.sendmail(sender, ["clients@passage.example"], raw)


def test_a_message_sent_twice_is_kept_once_and_acknowledged_once_in_french(
    receiver: int, smtp_server: SmtpServer
) -> None:
    raw = client_email(subject="Suivi", body=FRENCH_STATUS, message_id="<twice@example.org>")
    send(receiver, raw)
    send(receiver, raw)
    (email,) = InboundEmail.objects.all()
    # SMTP ends the data with a line break of its own; the message is otherwise intact.
    assert bytes(email.raw).replace(b"\r\n", b"\n").rstrip() == raw.replace(b"\r\n", b"\n").rstrip()
    assert email.language == "fr"
    deliver_due_emails(now=clock.now())
    (ack,) = smtp_server.inbox.received
    assert ack.recipients == ["ana@example.org"]
    assert (
        str(make_header(decode_header(ack.message["Subject"]))) == "Nous avons reçu votre courriel"
    )
    assert ack.message["Auto-Submitted"] == "auto-generated"


def test_an_auto_reply_and_a_bounce_are_kept_and_never_answered(
    receiver: int, smtp_server: SmtpServer
) -> None:
    send(
        receiver,
        client_email(headers={"Auto-Submitted": "auto-replied"}, body="I am out of the office."),
    )
    send(
        receiver,
        client_email(sender="MAILER-DAEMON@example.org", body="Delivery failed"),
        sender="",
    )
    assert InboundEmail.objects.filter(state=InboundEmail.State.AUTOMATED).count() == 2
    deliver_due_emails(now=clock.now())
    assert smtp_server.inbox.received == []


def test_a_message_over_the_size_limit_is_refused_at_smtp(receiver: int, settings: object) -> None:
    raw = client_email(body="x" * 100_000)
    settings.PASSAGE_MAIL_MAX_BYTES = 50_000  # type: ignore[attr-defined]
    port = free_port()
    small = controller(HOST, port)
    small.start()
    try:
        with pytest.raises(smtplib.SMTPException) as refused:
            send(port, raw)
        assert "552" in str(refused.value) or "exceeded" in str(refused.value).lower()
    finally:
        small.stop()
    assert not InboundEmail.objects.exists()


def test_a_message_that_cannot_be_kept_is_answered_try_again_later(
    receiver: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_gone(*args: object, **kwargs: object) -> None:
        raise OSError("the database went away")

    monkeypatch.setattr("passage.correspondence.receiver.receive_email", database_gone)
    with pytest.raises(smtplib.SMTPDataError) as deferred:
        send(receiver, client_email())
    assert deferred.value.smtp_code == 451


def test_messages_from_one_sender_kept_at_once_get_no_more_acknowledgements_than_the_limit(
    receiver: int, settings: object
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from passage.outbox.models import OutboxMessage

    settings.PASSAGE_MAIL_ACKNOWLEDGEMENTS_PER_SENDER_PER_DAY = 2  # type: ignore[attr-defined]
    messages = [client_email(body=f"Any update on my file? ({number})") for number in range(8)]
    with ThreadPoolExecutor(max_workers=4) as senders:
        list(senders.map(lambda raw: send(receiver, raw), messages))
    assert InboundEmail.objects.count() == 8
    assert OutboxMessage.objects.filter(template="mail_received").count() == 2
