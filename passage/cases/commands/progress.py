"""The commands that move a file through its work: triage, review, steps, the rules'
assessment, a blind quality review, and the decision."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy as _

from passage.accounts.models import User
from passage.cases.actors import SYSTEM, Actor, SystemActor
from passage.cases.commands.engine import Call, CommandResult, run, set_step
from passage.cases.commands.specs import (
    APPROVE,
    BEGIN_REVIEW,
    BEGIN_TRIAGE,
    RECORD_ASSESSMENT,
    RECORD_QUALITY_REVIEW,
    RECORD_STEP,
    REFUSE,
)
from passage.cases.errors import InvalidRequest, TransitionNotAllowed
from passage.cases.lifecycle import all_steps_finished, check_step_change
from passage.cases.models import Case, CaseEvent
from passage.cases.status import EventKind, Step, StepState, Tier


def begin_triage(
    *, case_id: UUID, actor: Actor, idempotency_key: str, now: datetime | None = None
) -> CommandResult:
    """Move a received case into triage (done by the system when triage starts)."""
    return run(BEGIN_TRIAGE, Call(case_id, actor, idempotency_key, now=now))


def begin_review(
    *,
    case_id: UUID,
    actor: Actor,
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Move a triaged case into officer review."""
    return run(BEGIN_REVIEW, Call(case_id, actor, idempotency_key, expected_version, now))


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
        set_step(case, step, state, at)

    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(RECORD_STEP, call, payload, apply, ruleset_version=ruleset_version)


def record_decision(
    *,
    case_id: UUID,
    actor: Actor,
    approve: bool,
    idempotency_key: str,
    reasons: str = "",
    legal_grounds: list[str] | None = None,
    close_open_requests: bool = False,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CommandResult:
    """Record the final decision. A refusal needs an officer and reasons; the system
    may approve a case whose steps are all finished, and can never refuse.

    The decision closes the document requests the client has not answered, each with an
    event; while one is open, the decider confirms it with `close_open_requests`."""
    reasons = reasons.strip()
    spec = APPROVE if approve else REFUSE
    role = spec.who.role_of(actor)
    if not approve and not reasons:
        raise InvalidRequest(
            _("A refusal must give its reasons."),
            errors={"reasons": str(_("Give the reasons for the refusal."))},
        )

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
        if not close_open_requests and case.document_requests.open().exists():
            raise InvalidRequest(
                _(
                    "The client has not answered a document request yet. Confirm that the "
                    "decision closes it."
                ),
                errors={
                    "close_open_requests": str(
                        _("Confirm that the decision closes the open document request.")
                    )
                },
            )
        case.decided_at = at
        case.decided_by = None if isinstance(actor, SystemActor) else actor
        case.decision_reasons = reasons

    call = Call(case_id, actor, idempotency_key, expected_version, now)
    payload = {"reasons": reasons, "legal_grounds": list(legal_grounds or [])}
    return run(spec, call, payload, apply, role=role)


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

    return run(
        RECORD_ASSESSMENT,
        Call(case_id, SYSTEM, idempotency_key, now=now),
        {**assessment, "risk_area": risk_area, "blind_review": blind_review},
        apply,
        ruleset_version=str(assessment.get("ruleset", "")),
    )


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
    role = RECORD_QUALITY_REVIEW.who.role_of(actor)
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

    call = Call(case_id, actor, idempotency_key, expected_version, now)
    return run(RECORD_QUALITY_REVIEW, call, payload, apply, role=role)


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
