"""The plan of each demo case: its application, and the commands that take it to its
status (triage, review, each step, the decision or a withdrawal), each with its actor
and instant.

Case n is planned from its own random generator, seeded with its number, so it is the
same whatever the size of the demo, and its key (`demo-0042`) makes the idempotency keys
of everything written for it.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from passage.cases.status import CaseStatus, Step, StepState
from passage.demo import data
from passage.demo.data import ClientData
from passage.demo.pdf import demo_pdf
from passage.demo.people import ANCHOR_ACCOUNT, client_email
from passage.demo.samples import draw_sample
from passage.demo.schedule import command_instants
from passage.demo.specs import FORCED, STEP_ORDER, STEP_STATES, Spec, random_spec
from passage.intake.documents import DocumentUpload
from passage.programs import ProgramBundle
from passage.rules.results import evaluate
from passage.triage.facts import application_facts
from passage.triage.rulesets import current_rulesets

SEED = "passage-demo-1"
KEY_PREFIX = "demo-"


UNSCHEDULED = datetime.min.replace(tzinfo=UTC)


@dataclass
class Command:
    """One service call of a plan. `actor` is a username, or None for the system."""

    kind: str  # triage, review, step, approve, refuse, withdraw
    actor: str | None
    at: datetime = UNSCHEDULED
    step: Step | None = None
    state: StepState | None = None
    note: str = ""
    ruleset_version: str = ""
    reasons: str = ""
    legal_grounds: tuple[str, ...] = ()


@dataclass
class CasePlan:
    """A demo case: the application its client submits, and the commands after it."""

    index: int
    program: str
    category: str
    account: str
    given_name: str
    family_name: str
    date_of_birth: date
    citizenship: str
    email: str
    language: str
    submitted_at: datetime
    answers: dict[str, Any]
    document: DocumentUpload
    status: CaseStatus
    service_standard_days: int = 365
    commands: list[Command] = field(default_factory=list)
    representative: bool = False
    sponsor: str | None = None

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.index:04d}"


def plan_cases(
    *, size: int, anchor: datetime, programs: dict[str, ProgramBundle]
) -> Iterable[CasePlan]:
    """The plans of the first `size` cases. Case n is the same whatever the size."""
    drawn = {code: bundle for code, bundle in programs.items() if bundle.definition.demo.share}
    for index in range(size):
        rng = random.Random(f"{SEED}:{index}")  # noqa: S311 - demo data, not secrets
        spec = FORCED[index] if index < len(FORCED) else random_spec(rng, drawn)
        if spec is None or spec.program not in programs:
            continue
        yield _plan(index, spec, rng, anchor, programs[spec.program])


def _plan(
    index: int, spec: Spec, rng: random.Random, anchor: datetime, bundle: ProgramBundle
) -> CasePlan:
    account = spec.account or _pick_account(rng, bundle)
    client = _client(account)
    age_days = spec.age_days if spec.age_days is not None else 30.0
    submitted_at = anchor - timedelta(days=age_days) - timedelta(minutes=rng.uniform(0, 5))
    submitted_at = submitted_at.replace(microsecond=0)
    plan = _application(index, spec, rng, client, submitted_at, anchor, bundle)
    plan.representative = account in data.REPRESENTED
    plan.sponsor = data.CHILD_SPONSORS.get(account)
    _plan_commands(plan, spec, rng, anchor, bundle)
    return plan


def _pick_account(rng: random.Random, bundle: ProgramBundle) -> str:
    groups = set(bundle.definition.demo.applicants)
    # The demo applicant keeps to her own few cases, so that her story reads clearly.
    others = [c for c in data.APPLICANTS if c.username != ANCHOR_ACCOUNT]
    # A program that names no demo client (or none the demo has) takes any of them.
    candidates = [c.username for c in others if c.group in groups] or [c.username for c in others]
    return rng.choice(candidates)


def _client(username: str) -> ClientData:
    return next(c for c in data.APPLICANTS if c.username == username)


def _birth_date(anchor: datetime, age: int, rng: random.Random) -> date:
    """A birthday that makes the person `age` on the anchor day."""
    return anchor.date() - timedelta(days=age * 365 + age // 4 + rng.randint(10, 350))


def _application(
    index: int,
    spec: Spec,
    rng: random.Random,
    client: ClientData,
    submitted_at: datetime,
    anchor: datetime,
    bundle: ProgramBundle,
) -> CasePlan:
    """The application of a demo file: one of the program's worked examples, moved in time
    to be judged on the day it is submitted, in the name of a demo client."""
    key = f"{KEY_PREFIX}{index:04d}"
    sample = draw_sample(bundle, key, day=submitted_at.date(), category=spec.category)
    given, family = client.given_name, client.family_name
    checklist = bundle.documents
    item = next((i for i in checklist if i.required), checklist[0] if checklist else None)
    kind, title = (item.kind, item.name_en) if item else ("supporting-document", "Document")
    document = DocumentUpload(
        kind=kind,
        filename=f"{kind}.pdf",
        content=demo_pdf(
            [
                "Passage demonstration document - not a real document",
                f"{title}: {given} {family}",
                f"Demo application {KEY_PREFIX}{index:04d}",
            ]
        ),
    )
    return CasePlan(
        index=index,
        program=bundle.code,
        category=sample.category,
        account=client.username,
        given_name=given,
        family_name=family,
        date_of_birth=sample.date_of_birth or _birth_date(anchor, client.age, rng),
        citizenship=sample.citizenship or client.citizenship,
        email=client_email(client),
        language=client.language,
        submitted_at=submitted_at,
        answers=sample.answers,
        document=document,
        status=spec.status,
        service_standard_days=bundle.definition.service_standard.days,
    )


def _plan_commands(
    plan: CasePlan, spec: Spec, rng: random.Random, anchor: datetime, bundle: ProgramBundle
) -> None:
    """Choose the commands that take the case to its status, then give each an instant."""
    status = spec.status
    stage = spec.withdraw_from if status == CaseStatus.WITHDRAWN else status
    if stage is None:
        stage = CaseStatus.IN_REVIEW
    officer = spec.officer or _pick_officer(rng, plan.program)
    french = plan.language == "fr"
    forced = spec.steps or {}
    steps_needed = _required_steps(rng, bundle.definition.demo.exempt_steps)
    for step, state in forced.items():
        # A forced exemption is triage's; any other forced state needs the step.
        if state == StepState.EXEMPTED:
            steps_needed.discard(step)
        else:
            steps_needed.add(step)
    refusals = data.REFUSALS.get(plan.program, (data.GENERIC_REFUSAL,))
    refusal = rng.choice(refusals) if status == CaseStatus.REFUSED else None
    if refusal is not None:
        steps_needed.add(Step(refusal.step))
    if spec.tier_one is not None:
        tier_one = spec.tier_one
    else:
        tier_one = _routine_by_the_rules(plan)
        if refusal is not None and refusal.step == Step.ELIGIBILITY:
            tier_one = False

    automatic: list[Command] = []
    by_officer: list[Command] = []
    if stage != CaseStatus.RECEIVED:
        automatic.append(Command("triage", None))
        for step in STEP_ORDER:
            if step not in steps_needed:
                note = data.EXEMPTION_NOTES[step.value][french]
                automatic.append(
                    Command("step", None, step=step, state=StepState.EXEMPTED, note=note)
                )
        if tier_one:
            automatic.append(
                Command(
                    "step",
                    None,
                    step=Step.ELIGIBILITY,
                    state=StepState.COMPLETED,
                    note=data.AUTOMATED_ELIGIBILITY_NOTE[french],
                    ruleset_version=_ruleset_version(plan.program),
                )
            )
    eta_automatic = plan.program == "eta" and tier_one and status == CaseStatus.APPROVED
    if eta_automatic:
        # The one line where approval itself is automated: minutes, no officer.
        automatic.append(Command("review", None))
        automatic.append(
            Command(
                "step",
                None,
                step=Step.BACKGROUND,
                state=StepState.COMPLETED,
                note=data.STEP_NOTES[("background", "completed")][french],
            )
        )
        automatic.append(Command("approve", None))
    elif stage in (CaseStatus.IN_REVIEW, CaseStatus.APPROVED, CaseStatus.REFUSED):
        by_officer.append(Command("review", officer))
        targets = _step_targets(rng, status, forced, steps_needed, tier_one, refusal)
        by_officer.extend(_step_commands(rng, targets, officer, french))
        if status == CaseStatus.APPROVED:
            by_officer.append(Command("approve", officer))
        elif refusal is not None:
            by_officer.append(
                Command(
                    "refuse",
                    officer,
                    reasons=refusal.reasons_fr if french else refusal.reasons_en,
                    legal_grounds=refusal.legal_grounds,
                )
            )
    closing: list[Command] = []
    if status == CaseStatus.WITHDRAWN:
        who = "rep" if plan.representative and rng.random() < 0.5 else plan.account
        reason = rng.choice(data.WITHDRAWAL_REASONS)[french]
        closing.append(Command("withdraw", who, reasons=reason))
    plan.commands = [*automatic, *by_officer, *closing]
    instants = command_instants(
        rng,
        anchor=anchor,
        submitted_at=plan.submitted_at,
        status=plan.status,
        service_standard_days=plan.service_standard_days,
        officer=officer,
        automatic=len(automatic),
        by_officer=len(by_officer),
        closing=len(closing),
    )
    for command, at in zip(plan.commands, instants, strict=True):
        command.at = at
    if plan.commands and plan.commands[-1].at >= anchor:
        raise ValueError(f"{plan.key}: the plan runs past the anchor")  # pragma: no cover


def _routine_by_the_rules(plan: CasePlan) -> bool:
    """Whether the program's rules approve the eligibility of this application."""
    ruleset = current_rulesets().get(plan.program)
    if ruleset is None:
        return False
    facts = application_facts(
        ruleset,
        plan.answers,
        date_of_birth=plan.date_of_birth,
        citizenship=plan.citizenship,
        submitted_on=plan.submitted_at.date(),
    )
    line = {"id": plan.key, "program": plan.program, "category": plan.category or None}
    result = evaluate(ruleset, {**line, "facts": facts}, as_of=plan.submitted_at.date())
    return result.get("outcome") == "eligible_auto"


def _ruleset_version(program: str) -> str:
    ruleset = current_rulesets().get(program)
    return ruleset.version if ruleset else ""


def _pick_officer(rng: random.Random, program: str) -> str:
    offices = {o.code: o.programs for o in data.OFFICES}
    # A program no demo office lists (a new one) is worked wherever there is an officer.
    candidates = [o.username for o in data.OFFICERS if program in offices[o.office]] or [
        o.username for o in data.OFFICERS
    ]
    # The demo officer takes a larger share, so that their queue is worth showing.
    weights = [4 if name == "officer" else 1 for name in candidates]
    return rng.choices(candidates, weights=weights)[0]


def _required_steps(rng: random.Random, odds: dict[str, float]) -> set[Step]:
    """The steps a file needs, each left out with the program's chance of not applying."""
    return {step for step in STEP_ORDER if rng.random() >= odds.get(step.value, 0)}


def _step_targets(
    rng: random.Random,
    status: CaseStatus,
    forced: dict[Step, StepState],
    steps_needed: set[Step],
    tier_one: bool,
    refusal: data.RefusalData | None,
) -> dict[Step, StepState]:
    """The state each step should reach under the officer. Steps that triage exempted,
    or whose eligibility it approved, are already finished and get no target."""
    targets: dict[Step, StepState] = {}
    for step in STEP_ORDER:
        if step not in steps_needed or (step == Step.ELIGIBILITY and tier_one):
            continue
        if step in forced:
            targets[step] = forced[step]
        elif status == CaseStatus.APPROVED:
            targets[step] = StepState.COMPLETED
        elif status == CaseStatus.REFUSED:
            targets[step] = rng.choice(
                (StepState.IN_PROGRESS, StepState.COMPLETED, StepState.NOT_STARTED)
            )
        else:
            targets[step] = rng.choices(STEP_STATES[:4], weights=(2, 2, 3, 3))[0]
    if refusal is not None and Step(refusal.step) in targets:
        # The refusal turns on a step the officer was still working on.
        targets[Step(refusal.step)] = rng.choice((StepState.IN_PROGRESS, StepState.WAITING_ON_YOU))
    return targets


def _step_commands(
    rng: random.Random, targets: dict[Step, StepState], officer: str, french: bool
) -> list[Command]:
    """The path of each step to its target, interleaved as an officer would work."""
    paths: list[list[Command]] = []
    for step, target in targets.items():
        states: list[StepState] = []
        if target == StepState.WAITING_ON_YOU:
            states = [StepState.WAITING_ON_YOU]
        elif target == StepState.IN_PROGRESS:
            states = [StepState.WAITING_ON_YOU, StepState.IN_PROGRESS]
            if step in (Step.ELIGIBILITY, Step.BACKGROUND) or rng.random() < 0.3:
                states = [StepState.IN_PROGRESS]
        elif target == StepState.COMPLETED:
            if step in (Step.MEDICAL, Step.BIOMETRICS) or rng.random() < 0.25:
                states = [StepState.WAITING_ON_YOU, StepState.IN_PROGRESS, StepState.COMPLETED]
            else:
                states = [StepState.IN_PROGRESS, StepState.COMPLETED]
        elif target == StepState.EXEMPTED:
            states = [StepState.EXEMPTED]
        commands = []
        for state in states:
            if state == StepState.EXEMPTED:
                note = data.EXEMPTION_NOTES[step.value][french]
            else:
                note = data.STEP_NOTES[(step.value, state.value)][french]
            commands.append(Command("step", officer, step=step, state=state, note=note))
        if commands:
            paths.append(commands)
    ordered: list[Command] = []
    while paths:
        pending = rng.choice(paths)
        ordered.append(pending.pop(0))
        if not pending:
            paths.remove(pending)
    return ordered
