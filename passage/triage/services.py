"""Triage of submitted applications, and re-triage of open files after a rule change.

Triage assesses a file with its program's rules and records the assessment as a case
event. Tier 1 (every criterion passed): Passage completes the eligibility step with the
assessment attached, unless the file was sampled for blind review. Tiers 2 and 3: the
eligibility step waits for an officer, who sees the reasons. Either way the file then
goes to officer review: an officer decides admissibility and the final decision.
Nothing here can refuse.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext_noop

from passage import clock
from passage.cases import services as cases
from passage.cases.actors import SYSTEM
from passage.cases.models import Case, CaseEvent
from passage.cases.status import OPEN_STATUSES, CaseStatus, EventKind, Step, StepState, Tier
from passage.intake.catalogue import value_names
from passage.intake.models import ApplicationAnswers
from passage.rules.loader import RuleSet
from passage.rules.results import evaluate, evaluate_batch
from passage.rules.wording import details_for_people
from passage.triage.facts import interchange_line
from passage.triage.rulesets import current_rulesets
from passage.triage.sampling import sampled_for_blind_review

# Kept in English in the event, which is the record; translated where it is shown.
ALL_CRITERIA_PASSED = gettext_noop("Every eligibility criterion passed.")


def triage_case(*, case_id: UUID, now: datetime | None = None) -> Case:
    """Assess one submitted file and send it on to officer review. Safe to run again:
    every step is an idempotent command, so a retried job repeats nothing."""
    at = now or clock.now()
    case = Case.objects.select_related("application", "program").get(public_id=case_id)
    if case.status == CaseStatus.RECEIVED:
        case = cases.begin_triage(
            case_id=case_id, actor=SYSTEM, idempotency_key="triage:begin", now=at
        ).case
    case = assess(case=case, now=at)
    if case.status == CaseStatus.TRIAGE:
        case = cases.begin_review(
            case_id=case_id, actor=SYSTEM, idempotency_key="triage:review", now=at
        ).case
    return case


def assess(
    *, case: Case, now: datetime, complete_eligibility: bool = True, sample: bool = True
) -> Case:
    """Record the rules' assessment of an open file (once per ruleset version) and, for a
    routine file not sampled for blind review, complete its eligibility step.

    `sample=False` keeps the file out of blind review (for files already worked)."""
    ruleset = current_rulesets().get(case.program.code)
    if ruleset is None or case.status not in OPEN_STATUSES:
        return case
    line = interchange_line(ruleset, case.application, _answers(case), str(case.public_id))
    as_of = case.application.submitted_at.date()
    result = evaluate(ruleset, line, as_of=as_of)
    details = details_for_people(ruleset, line, as_of, value_names(case.program.code))
    return _record(
        case, ruleset, result, now, details=details, first=sample, complete=complete_eligibility
    )


@dataclass
class RetriageReport:
    """What a re-triage did: files assessed, and the outcomes that changed."""

    assessed: int = 0
    unchanged: int = 0
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # reference, from, to


def retriage_open_cases(
    *, program: str | None = None, now: datetime | None = None, chunk: int = 5000
) -> RetriageReport:
    """Assess every open file again with the rules in force, column by column, and record
    a new assessment where the ruleset version differs from the last one.

    Steps an officer already completed are never touched: only an eligibility step that
    is still open is completed by Passage, for a file that became routine."""
    at = now or clock.now()
    report = RetriageReport()
    rulesets = current_rulesets()
    codes = [program] if program else sorted(rulesets)
    for code in codes:
        ruleset = rulesets[code]
        open_cases = (
            Case.objects.filter(program__code=code, status__in=OPEN_STATUSES)
            .select_related("application", "program")
            .order_by("pk")
        )
        batch: list[Case] = []
        for case in open_cases.iterator(chunk_size=chunk):
            batch.append(case)
            if len(batch) == chunk:
                _retriage_batch(ruleset, batch, at, report)
                batch = []
        if batch:
            _retriage_batch(ruleset, batch, at, report)
    return report


def _retriage_batch(
    ruleset: RuleSet, batch: list[Case], at: datetime, report: RetriageReport
) -> None:
    answers = _latest_answers(case.application_id for case in batch)
    lines = [
        interchange_line(
            ruleset, case.application, answers.get(case.application_id, {}), str(case.public_id)
        )
        for case in batch
    ]
    # One as-of date per submission day would split the batch; the facts carry each
    # program's own as-of date, and the submission date only stands in where they do not.
    results = evaluate_batch(ruleset, lines)
    previous = _latest_assessments([case.pk for case in batch])
    names = value_names(ruleset.program)
    for case, line, result in zip(batch, lines, results, strict=True):
        before = previous.get(case.pk)
        if before is not None and before.get("ruleset") == ruleset.version:
            report.unchanged += 1
            continue
        # Only the files recorded again are worded for people, one at a time.
        details = details_for_people(ruleset, line, case.application.submitted_at.date(), names)
        _record(case, ruleset, result, at, details=details, first=False)
        report.assessed += 1
        old = before.get("outcome", "none") if before else "none"
        new = _assessment(ruleset, result)["outcome"]
        if old != new:
            report.changed.append((case.reference, old, new))


def _record(
    case: Case,
    ruleset: RuleSet,
    result: dict[str, Any],
    at: datetime,
    *,
    details: dict[str, dict[str, str]] | None = None,
    first: bool,
    complete: bool = True,
) -> Case:
    assessment = _assessment(ruleset, result, details)
    tier = Tier(assessment["tier"])
    key = f"triage:assess:{ruleset.version}:{ruleset.content_hash[:16]}"
    # Once recorded, an assessment stands: a retried job goes on to the steps after it.
    if not case.events.filter(idempotency_key=key).exists():
        blind = (
            first
            and tier == Tier.ROUTINE
            and StepState(case.eligibility) == StepState.NOT_STARTED
            and sampled_for_blind_review(case.public_id, settings.PASSAGE_BLIND_REVIEW_SHARE)
        )
        case = cases.record_assessment(
            case_id=case.public_id,
            assessment=assessment,
            risk_area=_risk_area(case.program.risk_areas, assessment),
            blind_review=blind,
            idempotency_key=key,
            now=at,
        ).case
    if (
        complete
        and tier == Tier.ROUTINE
        and not case.blind_review
        and StepState(case.eligibility) in (StepState.NOT_STARTED, StepState.IN_PROGRESS)
    ):
        case = cases.record_step(
            case_id=case.public_id,
            actor=SYSTEM,
            step=Step.ELIGIBILITY,
            state=StepState.COMPLETED,
            eligible=True,
            note=ALL_CRITERIA_PASSED,
            ruleset_version=ruleset.version,
            idempotency_key=f"triage:eligibility:{ruleset.version}",
            now=at,
        ).case
    return case


def _assessment(
    ruleset: RuleSet, result: dict[str, Any], details: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """The result line as an assessment; an invalid line becomes a file for an officer.
    `details` (each criterion's detail by language, for people) is recorded next to the
    interchange's English detail."""
    if "error" in result:
        return {
            "outcome": "needs_officer",
            "tier": int(Tier.ASSESS),
            "criteria": [],
            "error": result["error"],
            "ruleset": ruleset.version,
        }
    # The interchange line cites as text; the record keeps each citation's title (in both
    # languages) and address apart, so that pages link to the source without parsing.
    citations = {criterion.id: criterion.citation.as_dict() for criterion in ruleset.criteria}
    worded = details or {}
    assessment = {key: value for key, value in result.items() if key != "id"}
    assessment["criteria"] = [
        {
            **criterion,
            "citation": citations.get(criterion["id"], criterion["citation"]),
            **({"details": worded[criterion["id"]]} if criterion["id"] in worded else {}),
        }
        for criterion in result.get("criteria", [])
    ]
    return assessment


def _risk_area(risk_areas: dict[str, str], assessment: dict[str, Any]) -> str:
    for criterion in assessment.get("criteria", []):
        if criterion.get("result") != "pass" and criterion.get("id") in risk_areas:
            return risk_areas[criterion["id"]]
    return ""


def _answers(case: Case) -> dict[str, Any]:
    latest = ApplicationAnswers.objects.filter(application_id=case.application_id).last()
    return dict(latest.answers) if latest else {}


def _latest_answers(application_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for row in ApplicationAnswers.objects.filter(application_id__in=list(application_ids)).order_by(
        "application_id", "version"
    ):
        latest[row.application_id] = row.answers
    return latest


def _latest_assessments(case_pks: list[int]) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for case_pk, payload in (
        CaseEvent.objects.filter(case_id__in=case_pks, kind=EventKind.TRIAGE_ASSESSED)
        .order_by("case_id", "sequence")
        .values_list("case_id", "payload")
    ):
        latest[case_pk] = payload
    return latest
