"""A real SMTP server on loopback for tests: aiosmtpd, keeping every message it accepts.

It can be stopped and started again on the same port, to play a mail server outage; a
silent server can stand on that port meanwhile, to play a mail server that hangs."""

import email
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    recipients: list[str]
    message: Message

    @property
    def body(self) -> str:
        payload = self.message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(self.message.get_content_charset() or "utf-8")


@dataclass
class Inbox:
    """The handler: what the server accepted, in order. Recipients in `refuse` are
    refused at RCPT, as a server does for an address it does not know."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    # Called with each message once it is kept, before the client hears it was accepted.
    on_accept: Callable[[Received], None] | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
        self.received.append(received)
        if self.on_accept is not None:
            self.on_accept(received)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [str(item.message["Message-ID"]) for item in self.received]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 and a free port, which keeps its port and its inbox
    across stop() and start()."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        assert self._controller is None
        self._controller = Controller(self.inbox, hostname=HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class SilentServer:
    """A server on 127.0.0.1 that accepts TCP connections and never says a word, as a mail
    server that hangs does. It holds what it accepted until stop()."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.accepted: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        assert self._listener is None
        self._stopping.clear()
        self._listener = socket.create_server((HOST, self.port))
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._listener is None or self._thread is None:
            return
        self._stopping.set()
        self._thread.join()
        self._listener.close()
        for held in self.accepted:
            held.close()
        self.accepted.clear()
        self._listener = self._thread = None

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                held, _ = listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(held)
