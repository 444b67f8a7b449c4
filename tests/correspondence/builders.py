"""Client email on a case an officer works, made through the real services."""

from passage.correspondence.models import InboundEmail
from passage.correspondence.services import receive_email
from tests.correspondence.messages import client_email


def email_about(case: object, **fields: object) -> InboundEmail:
    """An email from the case's applicant, naming its reference, received and read."""
    applicant = case.application.applicant  # type: ignore[attr-defined]
    fields.setdefault("subject", f"File {case.reference}")  # type: ignore[attr-defined]
    raw = client_email(sender=applicant.email, **fields)  # type: ignore[arg-type]
    return receive_email(raw, channel=InboundEmail.Channel.SMTP, envelope_sender=applicant.email)
