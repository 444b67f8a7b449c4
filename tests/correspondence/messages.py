"""Client email as a mail server hands it over: RFC 5322 bytes."""

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


def client_email(
    *,
    sender: str = "ana@example.org",
    subject: str = "Any news?",
    body: str = "Hello, I applied eight months ago and have heard nothing. Where is my file?",
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    html: str | None = None,
) -> bytes:
    """One message from `sender` to the department, with a fresh Message-ID unless given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "clients@passage.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 12, 7, 14, 30, tzinfo=UTC))
    message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.org>"
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


FRENCH_STATUS = (
    "Bonjour, ça fait huit mois que j'ai envoyé ma demande et je n'ai aucune nouvelle. "
    "Pouvez-vous me dire où en est mon dossier ? Merci"
)
