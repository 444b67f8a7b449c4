"""Commands on a case after submission: triage, review, steps, decisions, withdrawal.

Each command runs in one transaction: lock the case row, replay or reject a reused
idempotency key, check the expected version, check the lifecycle, append the event and
update the projection together.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from passage import clock
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.actors import SYSTEM, Actor, SystemActor
from passage.cases.chain import normalise_payload
from passage.cases.conflicts import has_conflict
from passage.cases.errors import (
    IdempotencyConflict,
    InvalidRequest,
    NotPermitted,
    StaleVersion,
    TransitionNotAllowed,
)
from passage.cases.events import append_event
from passage.cases.lifecycle import Command, all_steps_finished, check_step_change, next_status
from passage.cases.models import Case, CaseEvent, CaseParty, DeclaredConflict, DocumentRequest
from passage.cases.notifications import notify_clients
from passage.cases.parties import CLIENT_PARTY_ORDER, acting_party, client_scope, covers_step
from passage.cases.status import (
    STAFF_ACTOR_ROLES,
    ActorRole,
    CaseStatus,
    EventKind,
    PartyRole,
    Step,
    StepState,
    Tier,
)

MAX_TEXT = 5000


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
    eligible: bool | None = None,
    ruleset_version: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Set one step (eligibility, background, medical, biometrics) to a new state.

    Completing eligibility records a finding: `eligible` true (requirements met) or false
    (not met, with the reasons in `note`); a file found not eligible cannot be approved."""
    step, state = Step(step), StepState(state)
    note = note.strip()
    payload: dict[str, Any] = {"step": step.value, "state": state.value, "note": note}
    if step == Step.ELIGIBILITY and state == StepState.COMPLETED:
        if eligible is None:
            eligible = True
        if not eligible and not note:
            raise InvalidRequest(
                _("Give the reasons why the requirements are not met."),
                errors={"note": str(_("Give the reasons."))},
            )
        payload["eligible"] = eligible

    def apply(case: Case, at: datetime) -> None:
        if case.blind_review and step == Step.ELIGIBILITY:
            raise TransitionNotAllowed(
                _("This file is in blind review: record your own finding as a quality review.")
            )
        check_step_change(StepState(getattr(case, step.value)), state)
        _set_step(case, step, state, at)

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=_staff_or_system_role(actor),
        command=Command.RECORD_STEP,
        kind=EventKind.STEP_RECORDED,
        payload=payload,
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
        if approve and eligibility_finding(case) is False:
            raise TransitionNotAllowed(
                _("Eligibility was found not met: this file cannot be approved.")
            )
        case.decided_at = at
        case.decided_by = None if isinstance(actor, SystemActor) else actor
        case.decision_reasons = reasons
        notify_clients(case=case, template="status_changed", kind="case.decided", now=at)

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
        if (role := _party_role(case, actor)) is not None:
            return role
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
    proven_by_code: bool = False,
) -> CommandResult:
    """Let a sponsor or representative see and act on a case, on the applicant's or the
    department's authority. The grant is an event in the case's log.

    `proven_by_code`: the person links the case to their own account, having proved with
    the application number, date of birth and emailed code that the application is theirs.
    """
    role = PartyRole(role)
    if person.is_department_staff:
        raise NotPermitted(
            _(
                "Department staff work files from their staff account and cannot be given "
                "a client's access."
            )
        )

    def actor_role(case: Case) -> ActorRole:
        if proven_by_code and not isinstance(actor, SystemActor) and actor.pk == person.pk:
            return ActorRole(role.value)
        return _applicant_staff_or_system_role(case, actor)

    def apply(case: Case, at: datetime) -> None:
        if not case.parties.filter(person=person, role=role, revoked_at__isnull=True).exists():
            acts_for = ""
            if role == PartyRole.REPRESENTATIVE:
                # A representative acts for the part of the client who authorises them.
                granting = (
                    None
                    if isinstance(actor, SystemActor)
                    else client_scope(person_id=actor.pk, case=case)
                )
                acts_for = (granting or PartyRole.APPLICANT).value
            CaseParty.objects.create(
                case=case, person=person, role=role, acts_for=acts_for, granted_at=at
            )

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=actor_role,
        command=Command.GRANT_ACCESS,
        kind=EventKind.ACCESS_GRANTED,
        payload={
            "person": person.pk,
            "role": role.value,
            **({"by": "code"} if proven_by_code else {}),
        },
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


def record_assessment(
    *,
    case_id: UUID,
    assessment: dict[str, Any],
    idempotency_key: str,
    risk_area: str = "",
    blind_review: bool = False,
    now: datetime | None = None,
) -> CommandResult:
    """Store a triage assessment (an interchange result line: outcome, tier, criteria,
    ruleset) as an event of the case, and set the case's tier and risk area from it.

    Only the system assesses; the assessment never changes a step by itself."""
    tier = Tier(int(assessment["tier"]))
    if assessment.get("outcome") not in ("eligible_auto", "needs_officer"):
        raise InvalidRequest(_("An assessment is either eligible_auto or needs_officer."))

    def apply(case: Case, at: datetime) -> None:
        case.tier = tier
        case.risk_area = risk_area
        case.blind_review = case.blind_review or blind_review

    return _run(
        case_id=case_id,
        actor=SYSTEM,
        actor_role=ActorRole.SYSTEM,
        command=Command.RECORD_ASSESSMENT,
        kind=EventKind.TRIAGE_ASSESSED,
        payload={**assessment, "risk_area": risk_area, "blind_review": blind_review},
        idempotency_key=idempotency_key,
        expected_version=None,
        now=now,
        ruleset_version=str(assessment.get("ruleset", "")),
        apply=apply,
    )


def request_documents(
    *,
    case_id: UUID,
    actor: User,
    step: Step,
    items: list[str],
    due_on: date,
    idempotency_key: str,
    message: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Ask the client for documents by a due date. The step waits on the client
    ("Waiting on you") until they answer."""
    step = Step(step)
    items = [item.strip() for item in items if item.strip()]
    message = message.strip()
    if isinstance(actor, SystemActor) or not actor.has_role(Role.OFFICER):
        raise NotPermitted(_("Only an officer can ask for documents."))
    at = now or clock.now()
    errors = {}
    if not items:
        errors["items"] = str(_("Name at least one document to ask for."))
    elif any(len(item) > 200 for item in items) or len(items) > 20:
        errors["items"] = str(_("Ask for at most 20 documents, each named in 200 characters."))
    if due_on <= at.date():
        errors["due_on"] = str(_("The due date must be after today."))
    if len(message) > MAX_TEXT:
        errors["message"] = str(_("Write at most 5,000 characters."))
    if errors:
        raise InvalidRequest(_("The document request has errors."), errors=errors)

    def apply(case: Case, when: datetime) -> None:
        current = StepState(getattr(case, step.value))
        if current != StepState.WAITING_ON_YOU:
            check_step_change(current, StepState.WAITING_ON_YOU)
        _set_step(case, step, StepState.WAITING_ON_YOU, when)
        DocumentRequest.objects.create(
            case=case,
            step=step,
            items=items,
            message=message,
            due_on=due_on,
            requested_at=when,
            requested_by=actor,
        )
        notify_clients(
            case=case,
            template="documents_requested",
            kind="documents.requested",
            now=when,
            step=step,
        )

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=ActorRole.OFFICER,
        command=Command.REQUEST_DOCUMENTS,
        kind=EventKind.DOCUMENTS_REQUESTED,
        payload={"step": step.value, "items": items, "due_on": due_on, "message": message},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=at,
        apply=apply,
    )


def receive_documents(
    *,
    case_id: UUID,
    actor: User,
    request_id: int,
    documents: list[dict[str, Any]],
    idempotency_key: str,
    attach: Callable[[Case, datetime], None],
    now: datetime | None = None,
) -> CommandResult:
    """Record a client's answer to a document request: the request is answered, its step
    goes back to the department ("In progress") once no other request of that step waits,
    and `attach` writes the documents (already checked and stored) in the same
    transaction. `documents` describes them for the log (file name, SHA-256, size)."""
    if not documents:
        raise InvalidRequest(
            _("Add at least one file."), errors={"documents": _("Choose a file to upload.")}
        )
    # In the event too, so that a sponsor's history shows only the eligibility step's.
    step_of_request = (
        DocumentRequest.objects.filter(pk=request_id, case__public_id=case_id)
        .values_list("step", flat=True)
        .first()
    )
    if step_of_request is None:
        raise InvalidRequest(_("This request is already answered."))

    def apply(case: Case, at: datetime) -> None:
        request = case.document_requests.filter(pk=request_id, answered_at__isnull=True).first()
        if request is None or not covers_step(
            client_scope(person_id=actor.pk, case=case), request.step
        ):
            raise InvalidRequest(_("This request is already answered."))
        request.answered_at = at
        request.save(update_fields=["answered_at"])
        step = Step(request.step)
        waiting = case.document_requests.filter(step=step, answered_at__isnull=True).exists()
        if not waiting and getattr(case, step.value) == StepState.WAITING_ON_YOU:
            _set_step(case, step, StepState.IN_PROGRESS, at)
        attach(case, at)

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=lambda case: _client_role(case, actor),
        command=Command.RECEIVE_DOCUMENTS,
        kind=EventKind.DOCUMENTS_RECEIVED,
        payload={"request": request_id, "step": step_of_request, "documents": documents},
        idempotency_key=idempotency_key,
        expected_version=None,
        now=now,
        apply=apply,
    )


def _client_role(case: Case, actor: User) -> ActorRole:
    """The role an active client party acts in on the case, or NotPermitted."""
    if (role := _party_role(case, actor)) is not None:
        return role
    raise NotPermitted(_("Only the client or their representative can do this."))


def _party_role(
    case: Case, actor: User, roles: tuple[PartyRole, ...] = CLIENT_PARTY_ORDER
) -> ActorRole | None:
    """The actor role of the person's acting party on the case (see `acting_party`)."""
    party = acting_party(case=case, person_id=actor.pk, roles=roles)
    return None if party is None else ActorRole(party.value)


def assign_officer(
    *,
    case_id: UUID,
    actor: Actor,
    officer: User,
    reasons: dict[str, Any],
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Give an open file to an officer, with the reasons (routing's, or a supervisor's).

    A file an officer has started stays with them: only a supervisor moves it."""
    if not officer.has_role(Role.OFFICER) or not officer.is_active:
        raise InvalidRequest(
            _("Files can only go to an active officer."),
            errors={"officer": str(_("Choose an active officer."))},
        )
    if not isinstance(actor, SystemActor) and not actor.has_role(Role.SUPERVISOR):
        raise NotPermitted(_("Only a supervisor can reassign files."))

    def apply(case: Case, at: datetime) -> None:
        if case.work_started_at is not None and isinstance(actor, SystemActor):
            raise TransitionNotAllowed(_("This file was started and stays with its officer."))
        if has_conflict(person_id=officer.pk, case_id=case.pk):
            raise NotPermitted(
                _("This officer has a conflict of interest with this file. Choose another.")
            )
        if case.assigned_to_id == officer.pk:
            return
        case.assigned_to = officer
        case.assigned_at = at
        case.work_started_at = None

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=ActorRole.SYSTEM if isinstance(actor, SystemActor) else ActorRole.SUPERVISOR,
        command=Command.ASSIGN,
        kind=EventKind.ASSIGNED,
        payload={"officer": officer.pk, "reasons": reasons},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def unassign_officer(
    *,
    case_id: UUID,
    actor: Actor,
    idempotency_key: str,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Return a file to the queue. Routing may take back only files nobody started."""
    if not isinstance(actor, SystemActor) and not actor.has_role(Role.SUPERVISOR):
        raise NotPermitted(_("Only a supervisor can unassign files."))

    def apply(case: Case, at: datetime) -> None:
        if case.work_started_at is not None and isinstance(actor, SystemActor):
            raise TransitionNotAllowed(_("This file was started and stays with its officer."))
        case.assigned_to = None
        case.assigned_at = None
        case.work_started_at = None

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=ActorRole.SYSTEM if isinstance(actor, SystemActor) else ActorRole.SUPERVISOR,
        command=Command.UNASSIGN,
        kind=EventKind.UNASSIGNED,
        payload={"reason": reason.strip()},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def start_work(
    *, case: Case, officer: User, idempotency_key: str, reasons: dict[str, Any], now: datetime
) -> CommandResult:
    """Record that an officer took a file, on a case row the caller has already locked
    (the "next case" claim). Not for general use: the claim owns the lock."""
    if not officer.has_role(Role.OFFICER):
        raise NotPermitted(_("Only an officer can take a file."))
    _refuse_conflict(officer, case)
    next_status(CaseStatus(case.status), Command.START_WORK)
    if case.assigned_to_id != officer.pk:
        case.assigned_to = officer
        case.assigned_at = now
    case.work_started_at = now
    event = append_event(
        case=case,
        kind=EventKind.WORK_STARTED,
        actor=officer,
        actor_role=ActorRole.OFFICER,
        occurred_at=now,
        payload={"officer": officer.pk, "reasons": reasons},
        idempotency_key=idempotency_key,
    )
    case.save(
        update_fields=[
            "assigned_to",
            "assigned_at",
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
    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=_staff_or_system_role(actor),
        command=Command.ADD_NOTE,
        kind=EventKind.NOTE_ADDED,
        payload={"text": text},
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
    )


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
            case.assigned_to = None
            case.assigned_at = None
            case.work_started_at = None

    with transaction.atomic():
        result = _run(
            case_id=case_id,
            actor=actor,
            actor_role=_staff_or_system_role(actor),
            command=Command.DECLARE_CONFLICT,
            kind=EventKind.CONFLICT_DECLARED,
            payload={"kind": kind.value, "note": note},
            idempotency_key=idempotency_key,
            expected_version=None,
            now=now,
            apply=apply,
        )
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


def _client_of(case: Case) -> User | None:
    """The person who applied (the applicant, or the sponsor of a sponsorship)."""
    party = (
        CaseParty.objects.filter(case=case, role__in=[PartyRole.APPLICANT, PartyRole.SPONSOR])
        .order_by("granted_at", "pk")
        .select_related("person")
        .first()
    )
    return party.person if party is not None else None


def record_quality_review(
    *,
    case_id: UUID,
    actor: User,
    eligible: bool,
    reasons: str,
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """An officer's own eligibility finding on a file sampled for blind review, compared
    with the rules' assessment they did not see; the agreement is recorded, and the
    eligibility step takes the officer's finding."""
    reasons = reasons.strip()
    if not isinstance(actor, User) or not actor.has_role(Role.OFFICER):
        raise NotPermitted(_("Only an officer can record a quality review."))
    if not eligible and not reasons:
        raise InvalidRequest(
            _("Give the reasons why the requirements are not met."),
            errors={"reasons": str(_("Give the reasons."))},
        )
    latest = (
        CaseEvent.objects.filter(case__public_id=case_id, kind=EventKind.TRIAGE_ASSESSED)
        .order_by("-sequence")
        .values_list("payload", flat=True)
        .first()
    )
    automated = latest.get("outcome") if latest else None
    payload = {
        "eligible": eligible,
        "reasons": reasons,
        "automated_outcome": automated,
        "agreed": (automated == "eligible_auto") == eligible,
    }

    def apply(case: Case, at: datetime) -> None:
        if not case.blind_review:
            raise TransitionNotAllowed(_("This file was not sampled for blind review."))
        case.blind_review = False
        check_step_change(StepState(case.eligibility), StepState.COMPLETED)
        case.eligibility = StepState.COMPLETED
        case.eligibility_changed_at = at

    return _run(
        case_id=case_id,
        actor=actor,
        actor_role=ActorRole.OFFICER,
        command=Command.RECORD_QUALITY_REVIEW,
        kind=EventKind.QUALITY_REVIEWED,
        payload=payload,
        idempotency_key=idempotency_key,
        expected_version=expected_version,
        now=now,
        apply=apply,
    )


def eligibility_finding(case: Case) -> bool | None:
    """The latest eligibility finding on a file: True met, False not met, None none yet."""
    for payload in (
        case.events.filter(kind__in=[EventKind.STEP_RECORDED, EventKind.QUALITY_REVIEWED])
        .order_by("-sequence")
        .values_list("payload", flat=True)
    ):
        if "eligible" in payload and payload.get("step", Step.ELIGIBILITY) == Step.ELIGIBILITY:
            return bool(payload["eligible"])
    return None


def _applicant_staff_or_system_role(case: Case, actor: Actor) -> ActorRole:
    """The role of someone who may give or end access to a case: the person who applied
    (as applicant, or as sponsor for a sponsorship), the department, or the system."""
    if not isinstance(actor, SystemActor):
        role = _party_role(case, actor, (PartyRole.APPLICANT, PartyRole.SPONSOR))
        if role is not None:
            return role
    return _staff_or_system_role(actor)


def _set_step(case: Case, step: Step, state: StepState, at: datetime) -> None:
    setattr(case, step.value, state)
    setattr(case, f"{step.value}_changed_at", at)


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
        if role in STAFF_ACTOR_ROLES:
            _refuse_conflict(actor, case)
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


def _refuse_conflict(actor: Actor, case: Case) -> None:
    """NotPermitted when the person would act as staff on a case that concerns them."""
    if not isinstance(actor, SystemActor) and has_conflict(person_id=actor.pk, case_id=case.pk):
        raise NotPermitted(
            _(
                "You have a conflict of interest with this file: you are or were a party "
                "to it, or you declared one. Another officer must handle it."
            )
        )


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
