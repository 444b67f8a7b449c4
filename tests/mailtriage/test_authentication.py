"""Only our own mail server's verdict on the sender counts."""

from passage.mailtriage.authentication import sender_verified
from passage.mailtriage.parsing import parse


def with_results(*values: str) -> bytes:
    headers = "".join(f"Authentication-Results: {value}\r\n" for value in values)
    return f"From: ana@example.org\r\n{headers}Subject: x\r\n\r\nhello".encode()


def test_dmarc_passed_at_our_server_verifies_the_sender() -> None:
    raw = with_results("mx.passage.example; spf=pass smtp.mailfrom=example.org; dmarc=pass")
    assert sender_verified(parse(raw), authserv_id="mx.passage.example") is True


def test_a_verdict_written_by_anyone_else_or_a_failure_does_not() -> None:
    forged = with_results("mx.attacker.example; dmarc=pass", "mx.passage.example; dmarc=fail")
    assert sender_verified(parse(forged), authserv_id="mx.passage.example") is False
    assert sender_verified(parse(with_results()), authserv_id="mx.passage.example") is False


def test_without_a_server_configured_nothing_is_claimed() -> None:
    assert (
        sender_verified(parse(with_results("mx.passage.example; dmarc=pass")), authserv_id="")
        is None
    )
