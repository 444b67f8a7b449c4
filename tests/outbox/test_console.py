"""`make run` prints each email to its terminal readably: framed, the subject decoded, the
body as written, no transfer headers."""

import io

from django.core.mail import EmailMessage

from passage.outbox.console import ReadableConsoleBackend


def test_an_email_is_printed_framed_with_its_subject_and_body_as_written():
    stream = io.StringIO()
    backend = ReadableConsoleBackend(stream=stream)
    message = EmailMessage(
        subject="Réinitialiser votre mot de passe Passage",
        body="Bonjour Amélie,\n\nOuvrez ce lien\u00a0:\nhttps://passage.example/fr/x/\n",
        from_email="no-reply@passage.example",
        to=["amelie@example.com"],
        headers={"Message-ID": "<outbox-1@passage.example>"},
    )

    assert backend.send_messages([message]) == 1

    printed = stream.getvalue()
    assert "== EMAIL to amelie@example.com ==" in printed
    assert "Subject: Réinitialiser votre mot de passe Passage" in printed
    assert (
        "Bonjour Amélie,\n\nOuvrez ce lien\u00a0:\nhttps://passage.example/fr/x/\n====" in printed
    )
    assert "=?utf-8?" not in printed
    assert "Message-ID" not in printed
    assert "Content-Transfer-Encoding" not in printed
