"""The case commands of the confirmation of permanent residence, described as data for
the cases engine: each appends its event to the approved case's log."""

from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.cases.actors import Actor
from passage.cases.commands.engine import CommandSpec
from passage.cases.commands.who import ANY_STAFF_OR_SYSTEM, THE_SYSTEM, Who, supervisors_or_system
from passage.cases.errors import NotPermitted
from passage.cases.lifecycle import Command
from passage.cases.models import Case
from passage.cases.status import ActorRole, EventKind


def _the_invitee(case: Case, actor: Actor) -> ActorRole:
    """The person who took up the case's invitation acts as its applicant; nobody else."""
    if isinstance(actor, User) and case.residence_confirmations.filter(client=actor).exists():
        return ActorRole.APPLICANT
    raise NotPermitted(_("Only the person invited to confirm permanent residence can do this."))


THE_INVITEE = Who(on_case=_the_invitee)

INVITE = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_INVITED,
    who=THE_SYSTEM,
    records=("person", "due"),
)
DECLARE_PRESENCE = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.PRESENCE_DECLARED,
    who=THE_INVITEE,
    # The event's own time is when the statement was signed.
    records=("person", "statement", "city", "province"),
)
GIVE_ADDRESS = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_ADDRESS_GIVEN,
    who=THE_INVITEE,
    records=("person", "line", "city", "province", "postal_code"),
)
CHECK_PHOTO = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_PHOTO_CHECKED,
    who=THE_INVITEE,
    records=("person", "sha256", "accepted", "failures"),
)
SUBMIT = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_SUBMITTED,
    who=THE_INVITEE,
    records=("person",),
)
RETURN = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_RETURNED,
    who=ANY_STAFF_OR_SYSTEM,
    records=("person", "reason", "photo_rejected"),
)
CONFIRM = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_CONFIRMED,
    who=ANY_STAFF_OR_SYSTEM,
    # The eCOPR itself (its bytes and SHA-256) is kept beside the event, `Ecopr`.
    records=("person", "date", "place", "document_number"),
)
ORDER_CARD = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.CARD_ORDERED,
    who=ANY_STAFF_OR_SYSTEM,
    records=("person", "batch"),
)
REVOKE = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.ECOPR_REVOKED,
    who=supervisors_or_system(
        _("Only a supervisor can revoke a confirmation of permanent residence.")
    ),
    records=("person", "document_number", "reason"),
)
# Relief by rule: an outage of Passage moved the date the client has until (or a
# correction of the register moved it back).
MOVE_DUE = CommandSpec(
    command=Command.CONFIRM_RESIDENCE,
    kind=EventKind.RESIDENCE_DUE_MOVED,
    who=THE_SYSTEM,
    records=("person", "from", "to", "outages"),
)

# Every step of the confirmation, each an event kind of the one lifecycle row that
# follows an approval.
RESIDENCE_SPECS = (
    INVITE,
    DECLARE_PRESENCE,
    GIVE_ADDRESS,
    CHECK_PHOTO,
    SUBMIT,
    RETURN,
    CONFIRM,
    ORDER_CARD,
    REVOKE,
    MOVE_DUE,
)
