"""The SMTP receiver a mail server delivers client email to (`passage mail serve`): an
aiosmtpd server that answers 250 only once the message is committed, 451 (try again
later) when it cannot be kept, and 552 when it is larger than PASSAGE_MAIL_MAX_BYTES, so
that the sending server keeps, retries or bounces it and no message is lost silently."""

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import connection

from passage.correspondence.models import InboundEmail
from passage.correspondence.services import receive_email

logger = logging.getLogger(__name__)
# Messages kept at the same time, each in its own thread and database connection.
KEEPERS = 4


class KeepEveryMessage:
    """aiosmtpd's handler: every recipient is taken (the mail server in front decides
    which addresses reach Passage), every message kept through `receive_email`."""

    def __init__(self) -> None:
        self.keepers = ThreadPoolExecutor(max_workers=KEEPERS, thread_name_prefix="mail-keeper")

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        sender = envelope.mail_from or ""
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.keepers, _keep, raw, "" if sender == "<>" else sender)
        except Exception:
            logger.exception("A message from %r could not be kept; the sender will retry", sender)
            return "451 4.3.0 The message could not be kept now; try again later"
        return "250 2.0.0 Message received"


def _keep(raw: bytes, envelope_sender: str) -> None:
    # Each keeper thread opens its own connection per message and closes it after: a
    # connection the database dropped meanwhile is never reused.
    try:
        receive_email(raw, channel=InboundEmail.Channel.SMTP, envelope_sender=envelope_sender)
    finally:
        connection.close()


def controller(host: str, port: int) -> Controller:
    """The receiver, ready to `start()` on host:port."""
    return Controller(
        KeepEveryMessage(),
        hostname=host,
        port=port,
        ready_timeout=10,
        data_size_limit=settings.PASSAGE_MAIL_MAX_BYTES,
    )
