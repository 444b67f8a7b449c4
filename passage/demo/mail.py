"""The demo's client email: a handful of messages received through the real service, so
that the correspondence queues have something to show. Amélie writes about her file (a
status question, and an urgent trip); someone writes about a file that is not theirs; a
French email with only an HTML part; an auto-reply, kept and never answered. Each has a
fixed Message-ID, so a second load adds nothing."""

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from passage.accounts.models import User
from passage.cases.models import CaseParty
from passage.correspondence.models import InboundEmail
from passage.correspondence.services import receive_email


def _message(
    sender: str,
    subject: str,
    body: str,
    at: datetime,
    number: int,
    *,
    html: bool = False,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = sender, "clients@passage.example"
    message["Subject"], message["Date"] = subject, format_datetime(at)
    message["Message-ID"] = f"<demo-email-{number}@passage.example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body, subtype="html" if html else "plain")
    return message.as_bytes()


def ensure_client_email(people: dict[str, User], anchor: datetime) -> None:
    """Receive the demo's client email (once), over the last few days."""
    amelie = people["amelie"]
    party = (
        CaseParty.objects.filter(person=amelie, revoked_at__isnull=True)
        .select_related("case")
        .first()
    )
    reference = party.case.reference if party else ""
    messages: list[tuple[str, str, str, int, dict[str, Any]]] = [
        (
            amelie.email,
            f"Dossier {reference}",
            "Bonjour, ça fait huit mois que j'attends. Où en est mon dossier ? Merci, Amélie",
            6,
            {},
        ),
        (
            amelie.email,
            "Urgent",
            "My grandmother is in palliative care in Lyon and I need to fly on Friday. "
            "Can my application be processed quickly? I can send the doctor's letter.",
            1,
            {},
        ),
        (
            "marc.dupuis@example.org",
            f"Re: {reference}",
            f"Hello, I am writing about file {reference}. Can you tell me if it was approved?",
            3,
            {},
        ),
        (
            "fatou.ndiaye@example.org",
            "Changement d'adresse",
            "<p>Bonjour,</p><p>J'ai déménagé. Ma nouvelle adresse est le 210, rue Saint-Jean, "
            "Québec G1R 1N8.</p>",
            2,
            {"html": True},
        ),
        (
            "li.wei@example.org",
            "Out of office",
            "I am away until Monday with no access to email.",
            0,
            {"Auto_Submitted": "auto-replied"},
        ),
    ]
    for number, (sender, subject, body, days, options) in enumerate(messages, start=1):
        at = anchor - timedelta(days=days, hours=number)
        if InboundEmail.objects.filter(
            message_id=f"<demo-email-{number}@passage.example.org>"
        ).exists():
            continue
        html = bool(options.pop("html", False))
        receive_email(
            _message(sender, subject, body, at, number, html=html, **options),
            channel=InboundEmail.Channel.SMTP,
            envelope_sender=sender,
            now=at,
        )
