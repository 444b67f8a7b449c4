"""Mail a machine sent is recognised, so that no acknowledgement can start a loop."""

import pytest

from passage.mailtriage.automatic import sent_by_a_machine
from passage.mailtriage.parsing import parse

OWN = {"no-reply@passage.example", "clients@passage.example"}


def message(*headers: str, sender: str = "Ana <ana@example.org>") -> bytes:
    lines = [f"From: {sender}", "To: clients@passage.example", "Subject: hi", *headers, "", "Hello"]
    return "\r\n".join(lines).encode()


def reason(raw: bytes, envelope_sender: str | None = "ana@example.org") -> str:
    return sent_by_a_machine(
        parse(raw), envelope_sender=envelope_sender, own_addresses=OWN, own_domain="passage.example"
    )


def test_a_person_s_email_is_answered() -> None:
    assert reason(message("Auto-Submitted: no")) == ""


@pytest.mark.parametrize(
    ("headers", "envelope_sender", "sender", "expected"),
    [
        (("Auto-Submitted: auto-replied",), "ana@example.org", "ana@example.org", "auto-submitted"),
        (("Precedence: bulk",), "ana@example.org", "ana@example.org", "precedence"),
        (("List-Id: <news.example.org>",), "ana@example.org", "ana@example.org", "mailing list"),
        (("X-Auto-Response-Suppress: All",), "ana@example.org", "ana@example.org", "suppressed"),
        ((), "", "ana@example.org", "bounce"),
        (("Return-Path: <>",), None, "ana@example.org", "bounce"),
        ((), "x@passage.example", "no-reply@passage.example", "our own"),
        ((), "mailer-daemon@example.org", "MAILER-DAEMON@example.org", "system sender"),
    ],
)
def test_machine_mail_is_not_answered(
    headers: tuple[str, ...], envelope_sender: str | None, sender: str, expected: str
) -> None:
    assert expected in reason(message(*headers, sender=sender), envelope_sender)
