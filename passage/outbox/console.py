"""An email backend for trying Passage on one's own machine (`make run`): each email is
printed to the terminal as a person reads it, framed so that it stands out from the
processes' log lines: who it is to, its subject (decoded), its body, and nothing else.

Django's own console backend prints the raw message: encoded subjects and transfer
headers that make a link hard to find. Nothing is sent anywhere."""

import sys
import threading
from collections.abc import Sequence
from typing import IO, Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

WIDTH = 79


class ReadableConsoleBackend(BaseEmailBackend):
    """Prints each email to standard output (or `stream`), one framed block each."""

    def __init__(self, *args: Any, stream: IO[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        with self._lock:
            for message in email_messages:
                self.stream.write(framed(message))
                self.stream.flush()
                sent += 1
        return sent


def framed(message: EmailMessage) -> str:
    """The email as a block of text: a heading line with EMAIL, then the recipients,
    subject and body, then a closing line."""
    recipients = ", ".join(message.recipients())
    heading = f"== EMAIL to {recipients} "
    lines = [
        "",
        heading + "=" * max(3, WIDTH - len(heading)),
        f"Subject: {message.subject}",
        "",
        *str(message.body).rstrip("\n").split("\n"),
        "=" * WIDTH,
        "",
    ]
    return "\n".join(lines) + "\n"
