"""The department's own commands on a file: who works it (assigning, unassigning, taking
the next file), internal notes, and declaring a conflict of interest."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.actors import Actor, SystemActor
from passage.cases.commands.engine import MAX_TEXT, Call, CommandResult, carry_out, run
from passage.cases.commands.specs import ADD_NOTE, ASSIGN, DECLARE_CONFLICT, START_WORK, UNASSIGN
from passage.cases.conflicts import has_conflict
from passage.cases.errors import InvalidRequest, NotPermitted, TransitionNotAllowed
from passage.cases.models import Case, CaseParty, DeclaredConflict
from passage.cases.status import PartyRole


def assign_officer(
    *,
    case_id: UUID,
    actor: Actor,
    officer: User,
    idempotency_key: str,
    reasons: dict[str, Any] | None = None,
    reason: str = "",
    outside_reach: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Give an open file to an officer: routing (the system) with its `reasons`, or a
    supervisor by hand with the `reason` they typed (required). A supervisor giving a
    file outside the offices and programs the officer reads says so (`outside_reach`): the
    event records the exception, and the file is the officer's to read and act on.

    A supervisor's assignment is manual: its event records it as such, with the reason
    and who made it, and pins the file to the officer, so that routing leaves it with
    them (docs/operations.md, routing). Routing's own assignment unpins it. A file an
    officer has started stays with them: only a supervisor moves it."""
    if not officer.has_role(Role.OFFICER) or not officer.is_active:
        raise InvalidRequest(
            _("Files can only go to an active officer."),
            errors={"officer": str(_("Choose an active officer."))},
        )
    # Who first: anyone but a supervisor or routing is refused before their input is read.
    role = ASSIGN.who.role_of(actor)
    supervisor = None if isinstance(actor, SystemActor) else actor
    manual = supervisor is not None
    reason = reason.strip()
    if manual and not reason:
        raise InvalidRequest(
            _("Give a reason for the change."), errors={"reason": str(_("Give a reason."))}
        )
    if len(reason) > MAX_TEXT:
        raise InvalidRequest(
            _("Give a reason for the change."),
            errors={"reason": str(_("Write at most 5,000 characters."))},
        )

    def apply(case: Case, at: datetime) -> None:
        _keep_a_started_file(case, actor)
        if has_conflict(person_id=officer.pk, case_id=case.pk):
            raise NotPermitted(
                _("This officer has a conflict of interest with this file. Choose another.")
            )
        case.assignment_pinned = manual
        if case.assigned_to_id == officer.pk:
            return
        case.assigned_to = officer
        case.assigned_at = at
        case.work_started_at = None

    payload: dict[str, Any] = (
        {"officer": officer.pk, "manual": True, "by": supervisor.pk, "reason": reason}
        if supervisor is not None
        else {"officer": officer.pk, "reasons": reasons or {}}
    )
    if supervisor is not None and outside_reach:
        payload["outside_reach"] = True
    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(ASSIGN, call, payload, apply, role=role)


def unassign_officer(
    *,
    case_id: UUID,
    actor: Actor,
    idempotency_key: str,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Return a file to the queue, unpinned. Routing may take back only files nobody
    started."""

    def apply(case: Case, at: datetime) -> None:
        _keep_a_started_file(case, actor)
        _back_to_the_queue(case)

    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(UNASSIGN, call, {"reason": reason.strip()}, apply)


def start_work(
    *, case: Case, officer: User, idempotency_key: str, reasons: dict[str, Any], now: datetime
) -> CommandResult:
    """Record that an officer took a file, on a case row the caller has already locked
    (the "next case" claim). Not for general use: the claim owns the lock and answers
    a replay of the key itself."""
    role = START_WORK.who.role_on(case, officer)

    def apply(case: Case, at: datetime) -> None:
        if case.assigned_to_id != officer.pk:
            case.assigned_to = officer
            case.assigned_at = at
            case.assignment_pinned = False
        case.work_started_at = at

    payload = {"officer": officer.pk, "reasons": reasons}
    event = carry_out(
        START_WORK, case, officer, role, payload, apply, at=now, idempotency_key=idempotency_key
    )
    case.save(
        update_fields=[
            "assigned_to",
            "assigned_at",
            "assignment_pinned",
            "work_started_at",
            "version",
            "last_event_sequence",
            "last_event_hash",
        ]
    )
    return CommandResult(case=case, event=event, replayed=False)


def add_note(
    *,
    case_id: UUID,
    actor: User,
    text: str,
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """An internal note on the file, for the department only."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise InvalidRequest(
            _("The note has errors."),
            errors={"text": str(_("Write a note of 1 to 5,000 characters."))},
        )
    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(ADD_NOTE, call, {"text": text})


def declare_conflict(
    *,
    case_id: UUID,
    actor: User,
    kind: DeclaredConflict.Kind,
    note: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """An officer or supervisor declares a conflict of interest with a file (a relative, a
    former client): from now on they cannot see or act on it, nor on any file of its
    client, and if it was theirs it goes back to the queue. Recorded as an internal event."""
    kind = DeclaredConflict.Kind(kind)
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise InvalidRequest(
            _("The declaration has errors."),
            errors={"note": str(_("Write at most 5,000 characters."))},
        )

    def apply(case: Case, at: datetime) -> None:
        if case.assigned_to_id == actor.pk:
            _back_to_the_queue(case)

    with transaction.atomic():
        call = Call(case_id, actor, idempotency_key, now=now)
        result = run(DECLARE_CONFLICT, call, {"kind": kind.value, "note": note}, apply)
        if not result.replayed:
            # After the event: the database refuses staff events by a conflicted person.
            DeclaredConflict.objects.create(
                officer=actor,
                case=result.case,
                client=_client_of(result.case),
                kind=kind,
                note=note,
                declared_at=result.event.occurred_at,
            )
    return result


def _keep_a_started_file(case: Case, actor: Actor) -> None:
    """Routing (the system) may not move a file an officer started; a supervisor may."""
    if case.work_started_at is not None and isinstance(actor, SystemActor):
        raise TransitionNotAllowed(_("This file was started and stays with its officer."))


def _back_to_the_queue(case: Case) -> None:
    """The file is nobody's: back in the queue, unstarted and unpinned."""
    case.assigned_to = None
    case.assigned_at = None
    case.assignment_pinned = False
    case.work_started_at = None


def _client_of(case: Case) -> User | None:
    """The person who applied (the applicant, or the sponsor of a sponsorship)."""
    party = (
        CaseParty.objects.filter(case=case, role__in=[PartyRole.APPLICANT, PartyRole.SPONSOR])
        .order_by("granted_at", "pk")
        .select_related("person")
        .first()
    )
    return party.person if party is not None else None
