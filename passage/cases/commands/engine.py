"""The one engine that carries out a case command described by a `CommandSpec`.

`run` does it all in one transaction: lock the case row, answer a replay of the
idempotency key (or refuse the key reused for another request), check the version the
caller saw, settle who acts and in which role, check the lifecycle, apply the command's
effect, queue the clients' email in the outbox, append the event and update the row; then,
for a command that ends the case, close the document requests it leaves open and have its
decision letter issued.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from passage import clock, idempotency
from passage.cases.actors import Actor, SystemActor
from passage.cases.chain import normalise_payload
from passage.cases.commands.who import Who
from passage.cases.conflicts import has_conflict
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted, StaleVersion
from passage.cases.events import append_event
from passage.cases.lifecycle import Command, next_status
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.notifications import notify_clients
from passage.cases.signals import case_ended
from passage.cases.status import (
    STAFF_ACTOR_ROLES,
    ActorRole,
    CaseStatus,
    EventKind,
    RequestClosure,
    Step,
    StepState,
)

MAX_TEXT = 5000

# What a command does to the locked row (and the rows beside it) at the given instant.
Effect = Callable[[Case, datetime], None]


@dataclass(frozen=True)
class Notice:
    """The email a command queues for the case's clients (`notify_clients`): its template
    and outbox kind; with `per_step`, only the parties who see the payload's step."""

    template: str
    kind: str
    per_step: bool = False


@dataclass(frozen=True)
class CommandSpec:
    """A case command described as data.

    `command` is its row in the lifecycle (`lifecycle.TRANSITIONS`: the statuses it may
    start from and the one it leads to); `kind` the event it appends; `who` who may run
    it and in which role; `records` the keys its event's payload may have (None: whatever
    the caller hands over, as an assessment line); `notify` the email its clients get;
    `closes` the document requests it closes once its event is appended; `letter` the
    kind of decision letter it issues (`signals.case_ended`)."""

    command: Command
    kind: EventKind
    who: Who
    records: tuple[str, ...] | None
    notify: Notice | None = None
    closes: "Closes | None" = None
    letter: str | None = None


@dataclass(frozen=True)
class Closes:
    """What a command that ends a case (a decision, a withdrawal) does with the document
    requests still open: closes each, with an event of `spec` that gives `reason`, in
    the same transaction. The client is asked nothing more."""

    spec: CommandSpec
    reason: RequestClosure


@dataclass(frozen=True)
class Call:
    """One call of a command: the case, who asks, their idempotency key, the version they
    saw (None: whatever it is now) and the instant (None: the clock's)."""

    case_id: UUID
    actor: Actor
    idempotency_key: str
    expected_version: int | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class CommandResult:
    """What a command returns: the case as it is now, the command's event, and whether
    this call was a replay of an earlier one (then nothing was written)."""

    case: Case
    event: CaseEvent
    replayed: bool


def run(
    spec: CommandSpec,
    call: Call,
    payload: dict[str, Any] | None = None,
    effect: Effect | None = None,
    *,
    role: ActorRole | None = None,
    ruleset_version: str = "",
) -> CommandResult:
    """Carry out `spec` for `call`, recording `payload` and applying `effect` to the
    locked row; the same key and request again return the first event (`replayed`).

    `role`, when the command settled it already (a check it makes before validating its
    input, a person ending their own access), stands instead of `spec.who`. A rule of
    the person alone is asked before the key is looked at; a rule on the case, on the
    locked row after the replay and version checks."""
    payload = payload or {}
    if role is None:
        role = spec.who.role_of(call.actor)
    idempotency.check_key(call.idempotency_key, error=InvalidRequest)
    at = call.now or clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(public_id=call.case_id)
        earlier = _earlier_event(spec, case, call, payload)
        if earlier is not None:
            return CommandResult(case=case, event=earlier, replayed=True)
        if call.expected_version is not None and call.expected_version != case.version:
            raise StaleVersion(
                _("This case changed while you were working on it. Reload it and try again."),
                current_version=case.version,
            )
        if role is None:
            role = spec.who.role_on(case, call.actor)
        event = carry_out(
            spec,
            case,
            call.actor,
            role,
            payload,
            effect,
            at=at,
            idempotency_key=call.idempotency_key,
            ruleset_version=ruleset_version,
        )
        case.save()
    return CommandResult(case=case, event=event, replayed=False)


def carry_out(
    spec: CommandSpec,
    case: Case,
    actor: Actor,
    role: ActorRole,
    payload: dict[str, Any],
    effect: Effect | None,
    *,
    at: datetime,
    idempotency_key: str | None,
    ruleset_version: str = "",
) -> CaseEvent:
    """Apply a command to a case row the caller holds locked, and append its event; the
    caller saves the row. Staff with a conflict of interest are refused; the lifecycle is
    checked, then whether staff may act on this file (`Who.on_file`), before the effect,
    the clients' email and the new status; the document requests the command closes
    (`spec.closes`) are closed after its event."""
    if spec.records is not None and (extra := set(payload) - set(spec.records)):
        raise ValueError(f"{spec.kind} records {sorted(extra)}, which its spec does not name.")
    if role in STAFF_ACTOR_ROLES:
        refuse_conflict(actor, case)
    target = next_status(CaseStatus(case.status), spec.command)
    spec.who.check_file(case, actor, role)
    if effect is not None:
        effect(case, at)
    if spec.notify is not None:
        step = payload["step"] if spec.notify.per_step else None
        notify_clients(
            case=case, template=spec.notify.template, kind=spec.notify.kind, now=at, step=step
        )
    if target != case.status:
        case.status = target
        case.status_changed_at = at
    event = append_event(
        case=case,
        kind=spec.kind,
        actor=actor,
        actor_role=role,
        occurred_at=at,
        payload=payload,
        idempotency_key=idempotency_key,
        ruleset_version=ruleset_version,
    )
    if spec.closes is not None:
        close_open_requests(case, spec.closes, actor=actor, role=role, at=at)
    if spec.letter is not None:
        case_ended.send(sender=CommandSpec, case=case, event=event, letter=spec.letter)
    return event


def close_open_requests(
    case: Case, closes: Closes, *, actor: Actor, role: ActorRole, at: datetime
) -> None:
    """Close every document request of the locked case that is still open, oldest first,
    each with its own event (by the person who ended the case, in the role they acted in;
    the ending command's key stands for them all)."""
    for request in case.document_requests.open().order_by("requested_at", "pk"):
        payload = {"request": request.pk, "step": request.step, "reason": closes.reason.value}
        carry_out(
            closes.spec,
            case,
            actor,
            role,
            payload,
            _closing(request, closes.reason),
            at=at,
            idempotency_key=None,
        )


def _closing(request: DocumentRequest, reason: RequestClosure) -> Effect:
    """The effect of closing one request: it ends, unanswered, for `reason`."""

    def close(case: Case, at: datetime) -> None:
        request.closed_at = at
        request.closed_because = reason
        request.save(update_fields=["closed_at", "closed_because"])

    return close


def refuse_conflict(actor: Actor, case: Case) -> None:
    """NotPermitted when the person would act as staff on a case that concerns them."""
    if not isinstance(actor, SystemActor) and has_conflict(person_id=actor.pk, case_id=case.pk):
        raise NotPermitted(
            _(
                "You have a conflict of interest with this file: you are or were a party "
                "to it, or you declared one. Another officer must handle it."
            )
        )


def set_step(case: Case, step: Step, state: StepState, at: datetime) -> None:
    """Set a step of the row to a state, with the instant it changed."""
    setattr(case, step.value, state)
    setattr(case, f"{step.value}_changed_at", at)


def _earlier_event(
    spec: CommandSpec, case: Case, call: Call, payload: dict[str, Any]
) -> CaseEvent | None:
    """The case's earlier event for this key if it was the same command by the same
    actor; an IdempotencyConflict if the key was used for anything else."""
    earlier = idempotency.find_earlier(case.events.all(), key=call.idempotency_key)
    if earlier is not None:
        actor_id = None if isinstance(call.actor, SystemActor) else call.actor.pk
        idempotency.check_same_request(
            (earlier.kind, earlier.actor_id, earlier.payload),
            (spec.kind, actor_id, normalise_payload(payload)),
            error=IdempotencyConflict,
            message=_("This idempotency key was already used for a different request."),
        )
    return earlier
