"""`passage mail fetch` against a real IMAP server (Dovecot, started by the test): each
message kept once and moved out of the inbox, a message fetched again (the connection
dropped before the move) recognised by its Message-ID."""

from collections.abc import Iterator

import pytest

from passage.correspondence.fetcher import Mailbox, fetch
from passage.correspondence.models import InboundEmail
from passage.outbox.models import OutboxMessage
from tests.builders import one_page_pdf
from tests.correspondence.imap_server import PASSWORD, USER, ImapServer
from tests.correspondence.messages import FRENCH_STATUS, client_email
from tests.outbox.smtp import HOST

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    server = ImapServer()
    server.start()
    yield server
    server.stop()


def mailbox(server: ImapServer) -> Mailbox:
    return Mailbox(
        host=HOST, port=server.port, ssl=False, user=USER, password=PASSWORD, done="Passage"
    )


def test_fetched_messages_are_kept_once_acknowledged_and_moved_out_of_the_inbox(
    imap: ImapServer,
) -> None:
    imap.deliver(
        client_email(subject="Suivi", body=FRENCH_STATUS, message_id="<one@example.org>"),
        client_email(
            sender="li@example.org",
            subject="Documents",
            body="Please find attached the police certificate you asked for.",
            attachments=[("police.pdf", "application/pdf", one_page_pdf())],
        ),
        client_email(headers={"Auto-Submitted": "auto-replied"}, body="Out of office"),
    )
    assert fetch(mailbox(imap)) == 3
    assert imap.count("INBOX") == 0
    assert imap.count("Passage") == 3
    emails = {
        email.sender: email for email in InboundEmail.objects.filter(state=InboundEmail.State.OPEN)
    }
    assert emails["ana@example.org"].language == "fr"
    assert emails["li@example.org"].attachments.count() == 1
    assert all(email.channel == InboundEmail.Channel.IMAP for email in emails.values())
    assert OutboxMessage.objects.filter(template="mail_received").count() == 2
    assert InboundEmail.objects.filter(state=InboundEmail.State.AUTOMATED).count() == 1


def test_a_message_fetched_again_is_kept_once(imap: ImapServer) -> None:
    raw = client_email(message_id="<again@example.org>")
    imap.deliver(raw)
    fetch(mailbox(imap))
    imap.deliver(raw)  # as when the connection dropped after keeping it, before moving it
    fetch(mailbox(imap))
    assert InboundEmail.objects.count() == 1
    assert OutboxMessage.objects.filter(template="mail_received").count() == 1
    assert fetch(mailbox(imap)) == 0
