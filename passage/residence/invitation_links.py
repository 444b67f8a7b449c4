"""The invitation's link: it carries a token made from the invited person's confirmation
and the address it was sent to, with the server's secret key, so that only someone who
received the email can take the invitation up. The outbox keeps a reference to it, never
the link (`passage.outbox.references`); the link is made when the email is sent."""

import hmac
from uuid import UUID

from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac

from passage.outbox.links import absolute_url
from passage.outbox.references import UnresolvedSecret, secret_reference
from passage.residence.models import Confirmation

REFERENCE_NAME = "pr_invitation"
_SALT = "passage.residence.invitation"


def invitation_reference(principal: Confirmation) -> str:
    """What the outbox keeps in place of the link."""
    return secret_reference(REFERENCE_NAME, principal.public_id)


def invitation_token(principal: Confirmation) -> str:
    """The token of the principal applicant's invitation, bound to its address."""
    value = f"{principal.public_id}:{principal.email.strip().lower()}"
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:40]


def token_matches(principal: Confirmation, token: str) -> bool:
    return bool(principal.email) and hmac.compare_digest(invitation_token(principal), token)


def invitation_link_for(parts: list[str], language: str) -> str:
    """The outbox's resolver: the invitation page's address, token included."""
    try:
        principal = Confirmation.objects.get(public_id=UUID(parts[0]), position=0)
    except (Confirmation.DoesNotExist, ValueError, IndexError):
        raise UnresolvedSecret("no such invitation") from None
    with translation.override(language):
        path = reverse(
            "residence:invitation",
            kwargs={"invitation_id": principal.public_id, "token": invitation_token(principal)},
        )
    return absolute_url(path)
