"""Who may run a case command, and the role they act in: the rules a `CommandSpec` names.

A rule returns the actor's role or raises NotPermitted with a sentence for the person.
Some rules decide from the person alone (their staff roles); others need the case (the
parties on it), and run on the locked row. Staff then act only on the files that are
theirs (`on_file`): an officer on the files routed to, given to or taken by them; a
supervisor on the files of their office (`staff_file_refusal`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.actors import Actor, SystemActor
from passage.cases.errors import NotPermitted
from passage.cases.models import Case
from passage.cases.parties import CLIENT_PARTY_ORDER, acting_party
from passage.cases.status import ActorRole, PartyRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Who:
    """Who may run a command, by exactly one rule: `person` decides from the actor alone,
    before the case is read; `on_case` decides on the locked case, once a replay is
    answered and the version checked."""

    person: Callable[[Actor], ActorRole] | None = None
    on_case: Callable[[Case, Actor], ActorRole] | None = None
    # Whichever rule gave the role: on the locked case, whether staff in that role may act
    # on this file (NotPermitted if not). None: any file the person may see.
    on_file: Callable[[Case, Actor, ActorRole], None] | None = None

    def __post_init__(self) -> None:
        if (self.person is None) == (self.on_case is None):
            raise TypeError("Who takes one rule: `person` or `on_case`.")

    def role_of(self, actor: Actor) -> ActorRole | None:
        """The actor's role when the rule needs no case (NotPermitted for anyone it
        refuses); None when the rule decides on the case."""
        return None if self.person is None else self.person(actor)

    def role_on(self, case: Case, actor: Actor) -> ActorRole:
        """The actor's role on the locked case (NotPermitted for anyone it refuses)."""
        if self.on_case is not None:
            return self.on_case(case, actor)
        assert self.person is not None  # one of the two, by __post_init__
        return self.person(actor)

    def check_file(self, case: Case, actor: Actor, role: ActorRole) -> None:
        """NotPermitted when staff in `role` may not act on this file (`on_file`)."""
        if self.on_file is not None:
            self.on_file(case, actor, role)


def supervises_file(case: Case, person: User) -> bool:
    """Whether the person supervises the office the file belongs to: the office of the
    officer who has it, or, while nobody has it, an office that processes its program (a
    program naming no office is processed by every office)."""
    if not person.has_role(Role.SUPERVISOR) or person.office_id is None:
        return False
    if case.assigned_to_id is not None:
        return User.objects.filter(pk=case.assigned_to_id, office_id=person.office_id).exists()
    offices = case.program.processing_offices
    return not offices or (person.office is not None and person.office.code in offices)


def staff_file_refusal(case: Case, person: User, *, taking: bool = False) -> "StrOrPromise | None":
    """Why the person may not act as staff on this file, or None when they may: an officer
    acts on the files routed to, given to or taken by them (`taking`: also on a file
    nobody has, which they are taking); a supervisor on the files of their office."""
    if person.has_role(Role.OFFICER) and case.assigned_to_id in (
        (person.pk, None) if taking else (person.pk,)
    ):
        return None
    if person.has_role(Role.SUPERVISOR) and supervises_file(case, person):
        return None
    if not person.has_role(Role.OFFICER):
        return _("This file belongs to another office: only its supervisors can act on it.")
    if case.blind_review and case.assigned_to_id is not None:
        return _(
            "This file was sampled for quality review by another officer: only the officer "
            "it was given to can record their finding."
        )
    if case.assigned_to_id is not None:
        return _(
            "This file is with another officer: only they can act on it. A supervisor can "
            "give it to you."
        )
    return _(
        "This file is not assigned to you: take it with “Take the next file” or ask a "
        "supervisor to give it to you."
    )


def _their_files(case: Case, actor: Actor, role: ActorRole) -> None:
    """Staff act only on their files (`staff_file_refusal`); the system and clients (whose
    own rule decided) are not asked."""
    if role in (ActorRole.OFFICER, ActorRole.SUPERVISOR) and not isinstance(actor, SystemActor):
        refusal = staff_file_refusal(case, actor)
        if refusal is not None:
            raise NotPermitted(refusal)


def _their_sample(case: Case, actor: Actor, role: ActorRole) -> None:
    """A quality review is the finding of the officer the file was given to, and no one
    else's: not another officer's, nor a supervisor's."""
    if not isinstance(actor, SystemActor) and case.assigned_to_id != actor.pk:
        refusal = staff_file_refusal(case, actor)
        raise NotPermitted(
            refusal or _("Only the officer this file was given to can record its quality review.")
        )


def _files_they_take(case: Case, actor: Actor, role: ActorRole) -> None:
    """An officer takes a file nobody has or one routed or given to them, never another
    officer's."""
    if role == ActorRole.OFFICER and not isinstance(actor, SystemActor):
        refusal = staff_file_refusal(case, actor, taking=True)
        if refusal is not None:
            raise NotPermitted(refusal)


def staff_or_system_role(actor: Actor) -> ActorRole:
    """The system, or an officer or supervisor in that role; no one else."""
    if isinstance(actor, SystemActor):
        return ActorRole.SYSTEM
    if actor.has_role(Role.OFFICER):
        return ActorRole.OFFICER
    if actor.has_role(Role.SUPERVISOR):
        return ActorRole.SUPERVISOR
    raise NotPermitted(_("Only an officer can do this."))


def officers(refusal: "StrOrPromise") -> Who:
    """Officers only (never the system), on their own files (`staff_file_refusal`);
    anyone else is refused with `refusal`."""

    def rule(actor: Actor) -> ActorRole:
        if isinstance(actor, SystemActor) or not actor.has_role(Role.OFFICER):
            raise NotPermitted(refusal)
        return ActorRole.OFFICER

    return Who(person=rule, on_file=_their_files)


def officers_taking(refusal: "StrOrPromise") -> Who:
    """Officers only, taking a file nobody has or one that is theirs already."""
    return Who(person=officers(refusal).person, on_file=_files_they_take)


def reviewing_officer(refusal: "StrOrPromise") -> Who:
    """Only the officer a file sampled for quality review was given to."""
    return Who(person=officers(refusal).person, on_file=_their_sample)


def supervisors_or_system(refusal: "StrOrPromise") -> Who:
    """The system (routing), or a supervisor; anyone else is refused with `refusal`."""

    def rule(actor: Actor) -> ActorRole:
        if isinstance(actor, SystemActor):
            return ActorRole.SYSTEM
        if not actor.has_role(Role.SUPERVISOR):
            raise NotPermitted(refusal)
        return ActorRole.SUPERVISOR

    return Who(person=rule)


def _the_system(actor: Actor) -> ActorRole:
    """The system's own commands, which are given SYSTEM as their actor."""
    return ActorRole.SYSTEM


def _with_the_end_of_the_case(actor: Actor) -> ActorRole:
    """No one closes a document request on its own: the decision or withdrawal that ends
    the case closes those left open, by its own actor and role (`engine.Closes`)."""
    raise NotPermitted(
        _("A document request closes only with the decision or withdrawal that ends its case.")
    )


def party_role(
    case: Case, actor: User, roles: tuple[PartyRole, ...] = CLIENT_PARTY_ORDER
) -> ActorRole | None:
    """The actor role of the person's acting party on the case (see `acting_party`)."""
    party = acting_party(case=case, person_id=actor.pk, roles=roles)
    return None if party is None else ActorRole(party.value)


def client_role(case: Case, actor: Actor) -> ActorRole:
    """The role an active client party acts in on the case, or NotPermitted."""
    if not isinstance(actor, SystemActor) and (role := party_role(case, actor)) is not None:
        return role
    raise NotPermitted(_("Only the client or their representative can do this."))


def withdrawer_role(case: Case, actor: Actor) -> ActorRole:
    """The role of someone who may withdraw an application: a client party of the case,
    or an officer recording the client's request."""
    if not isinstance(actor, SystemActor):
        if (role := party_role(case, actor)) is not None:
            return role
        if actor.has_role(Role.OFFICER):
            return ActorRole.OFFICER
    raise NotPermitted(_("You may not withdraw this application."))


def applicant_staff_or_system_role(case: Case, actor: Actor) -> ActorRole:
    """The role of someone who may give or end access to a case: the person who applied
    (as applicant, or as sponsor for a sponsorship), the department, or the system."""
    if not isinstance(actor, SystemActor):
        role = party_role(case, actor, (PartyRole.APPLICANT, PartyRole.SPONSOR))
        if role is not None:
            return role
    return staff_or_system_role(actor)


STAFF_OR_SYSTEM = Who(person=staff_or_system_role, on_file=_their_files)
# Any staff who may see the file: declaring a conflict of interest is never refused.
ANY_STAFF_OR_SYSTEM = Who(person=staff_or_system_role)
THE_SYSTEM = Who(person=_the_system)
CLIENTS = Who(on_case=client_role)
CLIENTS_OR_OFFICERS = Who(on_case=withdrawer_role, on_file=_their_files)
APPLICANT_STAFF_OR_SYSTEM = Who(on_case=applicant_staff_or_system_role, on_file=_their_files)
WITH_THE_END_OF_THE_CASE = Who(person=_with_the_end_of_the_case)
