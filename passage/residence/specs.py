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


def _step(kind: EventKind, who: Who, records: tuple[str, ...]) -> CommandSpec:
    """A step of the confirmation: every one is the lifecycle's one row after approval."""
    return CommandSpec(command=Command.CONFIRM_RESIDENCE, kind=kind, who=who, records=records)


INVITE = _step(
    EventKind.RESIDENCE_INVITED,
    THE_SYSTEM,
    records=("person", "due"),
)
DECLARE_PRESENCE = _step(
    EventKind.PRESENCE_DECLARED,
    THE_INVITEE,
    # The event's own time is when the statement was signed.
    records=("person", "statement", "city", "province"),
)
GIVE_ADDRESS = _step(
    EventKind.RESIDENCE_ADDRESS_GIVEN,
    THE_INVITEE,
    records=("person", "line", "city", "province", "postal_code"),
)
CHECK_PHOTO = _step(
    EventKind.RESIDENCE_PHOTO_CHECKED,
    THE_INVITEE,
    records=("person", "sha256", "accepted", "failures"),
)
SUBMIT = _step(
    EventKind.RESIDENCE_SUBMITTED,
    THE_INVITEE,
    records=("person",),
)
RETURN = _step(
    EventKind.RESIDENCE_RETURNED,
    ANY_STAFF_OR_SYSTEM,
    records=("person", "reason", "photo_rejected"),
)
CONFIRM = _step(
    EventKind.RESIDENCE_CONFIRMED,
    ANY_STAFF_OR_SYSTEM,
    # The eCOPR itself (its bytes and SHA-256) is kept beside the event, `Ecopr`.
    records=("person", "date", "place", "document_number"),
)
ORDER_CARD = _step(
    EventKind.CARD_ORDERED,
    ANY_STAFF_OR_SYSTEM,
    records=("person", "batch"),
)
REVOKE = _step(
    EventKind.ECOPR_REVOKED,
    supervisors_or_system(_("Only a supervisor can revoke a confirmation of permanent residence.")),
    records=("person", "document_number", "reason"),
)
# Relief by rule: an outage of Passage moved the date the client has until (or a
# correction of the register moved it back).
MOVE_DUE = _step(
    EventKind.RESIDENCE_DUE_MOVED,
    THE_SYSTEM,
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
