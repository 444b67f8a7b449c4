"""Who may run a case command, and the role they act in: the rules a `CommandSpec` names.

A rule returns the actor's role or raises NotPermitted with a sentence for the person.
Some rules decide from the person alone (their staff roles); others need the case (the
parties on it), and run on the locked row.
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
    """Officers only (never the system); anyone else is refused with `refusal`."""

    def rule(actor: Actor) -> ActorRole:
        if isinstance(actor, SystemActor) or not actor.has_role(Role.OFFICER):
            raise NotPermitted(refusal)
        return ActorRole.OFFICER

    return Who(person=rule)


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


STAFF_OR_SYSTEM = Who(person=staff_or_system_role)
THE_SYSTEM = Who(person=_the_system)
CLIENTS = Who(on_case=client_role)
CLIENTS_OR_OFFICERS = Who(on_case=withdrawer_role)
APPLICANT_STAFF_OR_SYSTEM = Who(on_case=applicant_staff_or_system_role)
WITH_THE_END_OF_THE_CASE = Who(person=_with_the_end_of_the_case)
