"""The commands between a case and its clients: withdrawing, sharing a case with a sponsor
or representative (and ending it), asking for documents and receiving them (a request
closed with the decision or withdrawal of its case can no longer be answered)."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from passage import clock
from passage.accounts.models import User
from passage.cases.actors import Actor, SystemActor
from passage.cases.commands.engine import MAX_TEXT, Call, CommandResult, run, set_step
from passage.cases.commands.specs import (
    GRANT_ACCESS,
    RECEIVE_DOCUMENTS,
    REQUEST_DOCUMENTS,
    REVOKE_ACCESS,
    WITHDRAW,
)
from passage.cases.errors import InvalidRequest, NotPermitted, TransitionNotAllowed
from passage.cases.lifecycle import check_step_change
from passage.cases.models import Case, CaseParty, DocumentRequest
from passage.cases.parties import client_scope, covers_step
from passage.cases.status import (
    ActorRole,
    CaseStatus,
    PartyRole,
    RequestClosure,
    Step,
    StepState,
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
    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(WITHDRAW, call, {"reason": reason.strip()})


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
    themselves = proven_by_code and not isinstance(actor, SystemActor) and actor.pk == person.pk

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

    payload = {
        "person": person.pk,
        "role": role.value,
        **({"by": "code"} if proven_by_code else {}),
    }
    return run(
        GRANT_ACCESS,
        Call(case_id, actor, idempotency_key, now=now),
        payload,
        apply,
        role=ActorRole(role.value) if themselves else None,
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
    themselves = not isinstance(actor, SystemActor) and actor.pk == person.pk

    def apply(case: Case, at: datetime) -> None:
        case.parties.filter(person=person, role=role, revoked_at__isnull=True).update(revoked_at=at)

    return run(
        REVOKE_ACCESS,
        Call(case_id, actor, idempotency_key, now=now),
        {"person": person.pk, "role": role.value},
        apply,
        role=ActorRole(role.value) if themselves else None,
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
    statutory: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Ask the client for documents by a due date. The step waits on the client
    ("Waiting on you") until they answer. A `statutory` limit is one set by law: no
    outage moves it; one that touches it is flagged to the officer."""
    step = Step(step)
    items = [item.strip() for item in items if item.strip()]
    message = message.strip()
    role = REQUEST_DOCUMENTS.who.role_of(actor)
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
        set_step(case, step, StepState.WAITING_ON_YOU, when)
        DocumentRequest.objects.create(
            case=case,
            step=step,
            items=items,
            message=message,
            due_on=due_on,
            set_due_on=due_on,
            statutory=statutory,
            requested_at=when,
            requested_by=actor,
        )

    call = Call(case_id, actor, idempotency_key, expected_version, at)
    payload = {"step": step.value, "items": items, "due_on": due_on, "message": message}
    if statutory:
        payload["statutory"] = True
    return run(REQUEST_DOCUMENTS, call, payload, apply, role=role)


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
    transaction. `documents` describes them for the log (file name, SHA-256, size).

    A request closed with the decision or withdrawal of its case is refused, saying so."""
    if not documents:
        raise InvalidRequest(
            _("Add at least one file."), errors={"documents": _("Choose a file to upload.")}
        )
    # In the event too, so that a sponsor's history shows only the eligibility step's.
    step_of_request = refuse_closed_request(case_id=case_id, request_id=request_id)

    def apply(case: Case, at: datetime) -> None:
        request = case.document_requests.filter(pk=request_id, answered_at__isnull=True).first()
        if request is None or not covers_step(
            client_scope(person_id=actor.pk, case=case), request.step
        ):
            raise InvalidRequest(_("This request is already answered."))
        if request.closed_because:
            raise TransitionNotAllowed(CLOSED_REQUEST[RequestClosure(request.closed_because)])
        request.answered_at = at
        request.save(update_fields=["answered_at"])
        step = Step(request.step)
        waiting = case.document_requests.open().filter(step=step).exists()
        if not waiting and getattr(case, step.value) == StepState.WAITING_ON_YOU:
            set_step(case, step, StepState.IN_PROGRESS, at)
        attach(case, at)

    payload = {"request": request_id, "step": step_of_request, "documents": documents}
    try:
        return run(
            RECEIVE_DOCUMENTS, Call(case_id, actor, idempotency_key, now=now), payload, apply
        )
    except TransitionNotAllowed:
        # Decided or withdrawn since the request was read: say that the request closed.
        refuse_closed_request(case_id=case_id, request_id=request_id)
        raise


# Why a client can no longer answer a request, by why it closed.
CLOSED_REQUEST = {
    RequestClosure.DECIDED: _(
        "This request is closed: a decision was made on the application, so we no longer "
        "need these documents."
    ),
    RequestClosure.WITHDRAWN: _(
        "This request is closed: the application was withdrawn, so we no longer need "
        "these documents."
    ),
}


# The closure of the requests left open when a case ends with each status.
ENDED_BY = {
    CaseStatus.APPROVED: RequestClosure.DECIDED,
    CaseStatus.REFUSED: RequestClosure.DECIDED,
    CaseStatus.WITHDRAWN: RequestClosure.WITHDRAWN,
}


def refuse_closed_request(*, case_id: UUID, request_id: int) -> str:
    """The step of a document request of the case; TransitionNotAllowed, saying why, for one
    that closed (or whose case ended) without an answer, and InvalidRequest for one that
    does not exist. An answered request passes: answering it again is a replay, or refused
    as one."""
    row = (
        DocumentRequest.objects.filter(pk=request_id, case__public_id=case_id)
        .values("step", "answered_at", "closed_because", "case__status")
        .first()
    )
    if row is None:
        raise InvalidRequest(_("This request is already answered."))
    if row["answered_at"] is None:
        closure = row["closed_because"] or ENDED_BY.get(CaseStatus(row["case__status"]))
        if closure:
            raise TransitionNotAllowed(CLOSED_REQUEST[RequestClosure(closure)])
    return str(row["step"])
