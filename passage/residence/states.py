"""Where one person's confirmation of permanent residence stands, in the words the client
and the officer read. English here; French in the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfirmationState(models.TextChoices):
    INVITED = "invited", _("Invited")
    IN_PROGRESS = "in_progress", _("In progress")
    PHOTO_REJECTED = "photo_rejected", _("Photo to send again")
    READY_FOR_REVIEW = "ready_for_review", _("Ready for review")
    RETURNED = "returned", _("Returned for a change")
    CONFIRMED = "confirmed", _("Permanent resident")
    CARD_ORDERED = "card_ordered", _("Card ordered")


# What the client does next in each state, shown beside the due date.
NEXT_STEP = {
    ConfirmationState.INVITED: _(
        "Sign in, declare that you are in Canada, give a mailing address in Canada and "
        "upload a photo."
    ),
    ConfirmationState.IN_PROGRESS: _(
        "Finish the declaration, the mailing address and the photo, then send them for review."
    ),
    ConfirmationState.PHOTO_REJECTED: _(
        "Your photo did not pass our checks. Read the reasons and upload another photo."
    ),
    ConfirmationState.READY_FOR_REVIEW: _(
        "Nothing to do: an officer reviews your confirmation. We email you when it is done."
    ),
    ConfirmationState.RETURNED: _(
        "An officer asked for a change. Read the reason, make the change and send it again."
    ),
    ConfirmationState.CONFIRMED: _(
        "You are a permanent resident. Download your confirmation of permanent residence. "
        "Your card will be ordered once your photo and address are accepted."
    ),
    ConfirmationState.CARD_ORDERED: _(
        "Your permanent resident card was ordered. It is mailed to the address you gave."
    ),
}

# The states in which the client may still change their declaration, address or photo.
CLIENT_EDITABLE = frozenset(
    {
        ConfirmationState.INVITED,
        ConfirmationState.IN_PROGRESS,
        ConfirmationState.PHOTO_REJECTED,
        ConfirmationState.RETURNED,
    }
)
PERMANENT_RESIDENT = frozenset({ConfirmationState.CONFIRMED, ConfirmationState.CARD_ORDERED})
