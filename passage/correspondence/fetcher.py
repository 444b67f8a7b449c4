"""Client email fetched from an IMAP mailbox (`passage mail fetch`), for a department
whose mail lives on another server: each message is kept through `receive_email`, then
moved to the done folder (PASSAGE_MAIL_IMAP_DONE). A message kept but not yet moved (the
connection dropped between the two) is fetched again next time and recognised by its
Message-ID, so it is kept once."""

import logging
from dataclasses import dataclass

from django.conf import settings
from imapclient import IMAPClient

from passage.correspondence.models import InboundEmail
from passage.correspondence.services import receive_email
from passage.resilience import is_outage

logger = logging.getLogger(__name__)

BATCH = 50


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    folder: str = "INBOX"
    done: str = "Passage"

    @classmethod
    def from_settings(cls) -> "Mailbox":
        """The mailbox the settings name."""
        return cls(
            host=settings.PASSAGE_MAIL_IMAP_HOST,
            port=settings.PASSAGE_MAIL_IMAP_PORT,
            ssl=settings.PASSAGE_MAIL_IMAP_SSL,
            user=settings.PASSAGE_MAIL_IMAP_USER,
            password=settings.PASSAGE_MAIL_IMAP_PASSWORD,
            folder=settings.PASSAGE_MAIL_IMAP_FOLDER,
            done=settings.PASSAGE_MAIL_IMAP_DONE,
        )


def fetch(mailbox: Mailbox, *, timeout: float = 30) -> int:
    """Keep every message in the mailbox's folder and move it to the done folder; return
    how many were kept (those already kept, by Message-ID, count too)."""
    kept = 0
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.ssl, timeout=timeout) as client:
        client.login(mailbox.user, mailbox.password)
        if not client.folder_exists(mailbox.done):
            client.create_folder(mailbox.done)
        client.select_folder(mailbox.folder)
        waiting = client.search(["NOT", "DELETED"])
        for start in range(0, len(waiting), BATCH):
            batch = waiting[start : start + BATCH]
            for uid, data in client.fetch(batch, ["BODY.PEEK[]"]).items():
                raw = data.get(b"BODY[]")
                if raw is None:
                    continue
                try:
                    receive_email(bytes(raw), channel=InboundEmail.Channel.IMAP)
                except Exception as error:
                    if is_outage(error):
                        raise
                    # Left in the folder for the next pass; those after it go on.
                    logger.exception("Message %s of the mailbox could not be kept", uid)
                    continue
                _move(client, uid, mailbox.done)
                kept += 1
        client.expunge()
    return kept


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    if client.has_capability("MOVE"):
        client.move([uid], folder)
    else:
        client.copy([uid], folder)
        client.delete_messages([uid])
