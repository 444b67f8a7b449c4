"""Mail that must not be answered is recognised, so that no acknowledgement can start a
loop; what a machine wrote on its own is set aside, and anything else a person reads."""

import pytest

from passage.mailtriage.automatic import not_to_answer
from passage.mailtriage.parsing import parse

OWN = {"no-reply@passage.example", "clients@passage.example"}


def message(*headers: str, sender: str = "Ana <ana@example.org>") -> bytes:
    lines = [
        f"From: {sender}",
        "To: clients@passage.example",
        "Subject: hi",
        *headers,
        "",
        "Hello",
    ]
    return "\r\n".join(lines).encode()


def verdict(raw: bytes, envelope_sender: str | None = "ana@example.org") -> tuple[str, bool] | None:
    found = not_to_answer(
        parse(raw),
        envelope_sender=envelope_sender,
        own_addresses=OWN,
        own_domain="passage.example",
    )
    return None if found is None else (found.reason, found.set_aside)


def test_a_person_s_email_is_answered() -> None:
    assert verdict(message("Auto-Submitted: no")) is None


@pytest.mark.parametrize(
    ("headers", "envelope_sender", "sender", "expected"),
    [
        (("Auto-Submitted: auto-replied",), "ana@example.org", "ana@example.org", "auto-submitted"),
        (("Precedence: auto_reply",), "ana@example.org", "ana@example.org", "auto-reply"),
        ((), "", "ana@example.org", "bounce"),
        (("Return-Path: <>",), None, "ana@example.org", "bounce"),
        ((), "mailer-daemon@example.org", "MAILER-DAEMON@example.org", "system sender"),
    ],
)
def test_what_a_machine_wrote_on_its_own_is_set_aside_unanswered(
    headers: tuple[str, ...], envelope_sender: str | None, sender: str, expected: str
) -> None:
    found = verdict(message(*headers, sender=sender), envelope_sender)
    assert found is not None
    assert expected in found[0]
    assert found[1] is True


@pytest.mark.parametrize(
    ("headers", "sender", "expected"),
    [
        (("Precedence: bulk",), "ana@example.org", "precedence"),
        (("List-Id: <news.example.org>",), "ana@example.org", "mailing list"),
        (("X-Auto-Response-Suppress: All",), "ana@example.org", "auto-response suppressed"),
        ((), "agent@passage.example", "our own address"),
        (("In-Reply-To: <outbox-12@passage.example>",), "ana@example.org", "a reply"),
    ],
)
def test_what_may_carry_a_request_goes_to_a_person_unanswered(
    headers: tuple[str, ...], sender: str, expected: str
) -> None:
    found = verdict(message(*headers, sender=sender))
    assert found is not None
    assert found[0].startswith(expected.split(" of ")[0])
    assert found[1] is False
