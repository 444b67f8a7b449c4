"""Commands on a case after submission: triage, review, steps, decisions, withdrawal.

Each command runs in one transaction: lock the case row, replay or reject a reused
idempotency key, check the expected version, check the lifecycle, append the event and
update the projection together.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.actors import Actor, SystemActor
from passage.cases.chain import normalise_payload
from passage.cases.errors import (
    IdempotencyConflict,
    InvalidRequest,
    NotPermitted,
    StaleVersion,
    TransitionNotAllowed,
)
from passage.cases.events import append_event
from passage.cases.lifecycle import Command, all_steps_finished, check_step_change, next_status
from passage.cases.models import Case, CaseEvent, CaseParty
from passage.cases.status import ActorRole, CaseStatus, EventKind, PartyRole, Step, StepState


@dataclass(frozen=True)
class CommandResult:
    case: Case
    event: CaseEvent
    replayed: bool


def begin_triage(
    *, case_id: UUID, actor: Actor, idempotency_key: str, now: datetime | None = None
) -> CommandResult:
    """Move a received case into triage (done by the system when triage starts)."""
    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=_staff_or_system_role(actor),
        command=Command.BEGIN_TRIAGE,
        kind=EventKind.TRIAGE_STARTED,
        payload={},
        idempotency_key=idempotency_key,
        expected_version=None,
        now=now,
    )


def begin_review(
    *,
    case_id: UUID,
    actor: Actor,
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Move a triaged case into officer review."""
    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=_staff_or_system_role(actor),
        command=Command.BEGIN_REVIEW,
        kind=EventKind.REVIEW_STARTED,
        payload={},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
    )


def record_step(
    *,
    case_id: UUID,
    actor: Actor,
    step: Step,
    state: StepState,
    idempotency_key: str,
    note: str = "",
    ruleset_version: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Set one step (eligibility, background, medical, biometrics) to a new state."""
    step, state = Step(step), StepState(state)

    def apply(case: Case, at: datetime) -> None:
        check_step_change(StepState(getattr(case, step.value)), state)
        setattr(case, step.value, state)
        setattr(case, f"{step.value}_changed_at", at)

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=_staff_or_system_role(actor),
        command=Command.RECORD_STEP,
        kind=EventKind.STEP_RECORDED,
        payload={"step": step.value, "state": state.value, "note": note},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
        ruleset_version=ruleset_version,
        apply=apply,
    )


def record_decision(
    *,
    case_id: UUID,
    actor: Actor,
    approve: bool,
    idempotency_key: str,
    reasons: str = "",
    legal_grounds: list[str] | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Record the final decision. A refusal needs an officer and reasons; the system
    may approve a case whose steps are all finished, and can never refuse."""
    reasons = reasons.strip()
    if approve:
        actor_role = _staff_or_system_role(actor)
    else:
        if isinstance(actor, SystemActor) or not actor.has_role(Role.OFFICER):
            raise NotPermitted(_("Only an officer can refuse an application."))
        if not reasons:
            raise InvalidRequest(
                _("A refusal must give its reasons."),
                errors={"reasons": str(_("Give the reasons for the refusal."))},
            )
        actor_role = ActorRole.OFFICER

    def apply(case: Case, at: datetime) -> None:
        steps = [StepState(getattr(case, step.value)) for step in Step]
        if approve and not all_steps_finished(steps):
            raise TransitionNotAllowed(
                _("Every step must be completed or exempted before approval.")
            )
        case.decided_at = at
        case.decided_by = None if isinstance(actor, SystemActor) else actor
        case.decision_reasons = reasons

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=actor_role,
        command=Command.APPROVE if approve else Command.REFUSE,
        kind=EventKind.APPROVED if approve else EventKind.REFUSED,
        payload={"reasons": reasons, "legal_grounds": list(legal_grounds or [])},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def withdraw_application(
    *,
    case_id: UUID,
    actor: User,
    idempotency_key: str,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Withdraw an open application, at the request of the client or their representative
    (or an officer recording the client's request)."""

    def role_on(case: Case) -> ActorRole:
        party_roles = set(
            case.parties.filter(person=actor, revoked_at__isnull=True).values_list(
                "role", flat=True
            )
        )
        for role in (PartyRole.APPLICANT, PartyRole.REPRESENTATIVE):
            if role in party_roles:
                return ActorRole(role.value)
        if actor.has_role(Role.OFFICER):
            return ActorRole.OFFICER
        raise NotPermitted(_("You may not withdraw this application."))

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=role_on,
        command=Command.WITHDRAW,
        kind=EventKind.WITHDRAWN,
        payload={"reason": reason.strip()},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
    )


def grant_access(
    *,
    case_id: UUID,
    actor: Actor,
    person: User,
    role: PartyRole,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Let a sponsor or representative see and act on a case, on the applicant's or the
    department's authority. The grant is an event in the case's log."""
    role = PartyRole(role)

    def apply(case: Case, at: datetime) -> None:
        if not case.parties.filter(person=person, role=role, revoked_at__isnull=True).exists():
            CaseParty.objects.create(case=case, person=person, role=role, granted_at=at)

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=lambda case: _applicant_staff_or_system_role(case, actor),
        command=Command.GRANT_ACCESS,
        kind=EventKind.ACCESS_GRANTED,
        payload={"person": person.pk, "role": role.value},
        idempotency_key=idempotency_key,
        expected_version=None,
        now=now,
        apply=apply,
    )


def revoke_access(
    *,
    case_id: UUID,
    actor: Actor,
    person: User,
    role: PartyRole,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """End a party's access to a case: from the next request on, they cannot see it.
    The applicant, the department, or the party themselves may do this."""
    role = PartyRole(role)

    def actor_role(case: Case) -> ActorRole:
        if not isinstance(actor, SystemActor) and actor.pk == person.pk:
            return ActorRole(role.value)
        return _applicant_staff_or_system_role(case, actor)

    def apply(case: Case, at: datetime) -> None:
        case.parties.filter(person=person, role=role, revoked_at__isnull=True).update(revoked_at=at)

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=actor_role,
        command=Command.REVOKE_ACCESS,
        kind=EventKind.ACCESS_REVOKED,
        payload={"person": person.pk, "role": role.value},
        idempotency_key=idempotency_key,
        expected_version=None,
        now=now,
        apply=apply,
    )


def _applicant_staff_or_system_role(case: Case, actor: Actor) -> ActorRole:
    if (
        not isinstance(actor, SystemActor)
        and case.parties.filter(
            person=actor, role=PartyRole.APPLICANT, revoked_at__isnull=True
        ).exists()
    ):
        return ActorRole.APPLICANT
    return _staff_or_system_role(actor)


def _staff_or_system_role(actor: Actor) -> ActorRole:
    if isinstance(actor, SystemActor):
        return ActorRole.SYSTEM
    if actor.has_role(Role.OFFICER):
        return ActorRole.OFFICER
    if actor.has_role(Role.SUPERVISOR):
        return ActorRole.SUPERVISOR
    raise NotPermitted(_("Only an officer can do this."))


def _run(
    *,
    case_id: UUID,
    actor: Actor,
    actor_role: ActorRole | Callable[[Case], ActorRole],
    command: Command,
    kind: EventKind,
    payload: dict[str, Any],
    idempotency_key: str,
    expected_version: int | None,
    now: datetime | None,
    ruleset_version: str = "",
    apply: Callable[[Case, datetime], None] | None = None,
) -> CommandResult:
    if not idempotency_key or len(idempotency_key) > 255:
        raise InvalidRequest(_("An idempotency key of 1 to 255 characters is required."))
    at = now or clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(public_id=case_id)
        replay = _replay(
            case=case, actor=actor, idempotency_key=idempotency_key, kind=kind, payload=payload
        )
        if replay is not None:
            return CommandResult(case=case, event=replay, replayed=True)
        if expected_version is not None and expected_version != case.version:
            raise StaleVersion(
                _("This case changed while you were working on it. Reload it and try again."),
                current_version=case.version,
            )
        role = actor_role(case) if callable(actor_role) else actor_role
        target = next_status(CaseStatus(case.status), command)
        if apply is not None:
            apply(case, at)
        if target != case.status:
            case.status = target
            case.status_changed_at = at
        event = append_event(
            case=case,
            kind=kind,
            actor=actor,
            actor_role=role,
            occurred_at=at,
            payload=payload,
            idempotency_key=idempotency_key,
            ruleset_version=ruleset_version,
        )
        case.save()
    return CommandResult(case=case, event=event, replayed=False)


def _replay(
    *, case: Case, actor: Actor, idempotency_key: str, kind: EventKind, payload: dict[str, Any]
) -> CaseEvent | None:
    """The earlier event for this key if it was the same command by the same actor;
    a conflict if the key was used for anything else."""
    earlier = case.events.filter(idempotency_key=idempotency_key).first()
    if earlier is None:
        return None
    actor_id = None if isinstance(actor, SystemActor) else actor.pk
    if (
        earlier.kind != kind
        or earlier.actor_id != actor_id
        or earlier.payload != normalise_payload(payload)
    ):
        raise IdempotencyConflict(
            _("This idempotency key was already used for a different request.")
        )
    return earlier
