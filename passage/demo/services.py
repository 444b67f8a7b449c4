"""Load the demonstration: programs, offices, staff, clients and a few hundred cases.

Every case goes through the real services (`submit_application`, then `begin_triage`,
`begin_review`, `record_step`, `record_decision`, `withdraw_application`) with instants
in the past, so the event chains are the ones production would write. Each case is
planned from its own seeded random generator and its commands carry idempotency keys
made from its number, so loading again replays the same commands and writes nothing,
and loading more cases later keeps the first ones as they are.

The timeline is anchored once: at the first load, the anchor is now; later loads read
it back from the moment the demo's first account joined.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from passage import clock
from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.accounts.services import create_person
from passage.cases.actors import SYSTEM, Actor
from passage.cases.models import Case
from passage.cases.services import (
    CommandResult,
    begin_review,
    begin_triage,
    grant_access,
    record_decision,
    record_step,
    request_documents,
    start_work,
    withdraw_application,
)
from passage.cases.status import FINISHED_STEP_STATES, CaseStatus, PartyRole, Step, StepState
from passage.conversations.services import start_thread
from passage.demo import data
from passage.demo.data import ClientData, StaffData
from passage.demo.pdf import ascii_text, demo_pdf
from passage.demo.samples import draw_sample
from passage.intake.catalogue import LoadResult, current_programs, load_programs
from passage.intake.documents import DocumentUpload
from passage.intake.models import Program
from passage.intake.representation import authorise_representative
from passage.intake.services import submit_application
from passage.messaging.models import OutboxMessage
from passage.programs import ProgramBundle
from passage.rules.results import evaluate
from passage.triage.facts import application_facts
from passage.triage.rulesets import current_rulesets
from passage.triage.services import assess
from passage.workbench.models import OfficerProfile, Skill

DEFAULT_SIZE = 300
SEED = "passage-demo-1"
KEY_PREFIX = "demo-"
ANCHOR_ACCOUNT = "amelie"

STEP_ORDER = (Step.ELIGIBILITY, Step.BACKGROUND, Step.MEDICAL, Step.BIOMETRICS)
STEP_STATES = (
    StepState.NOT_STARTED,
    StepState.WAITING_ON_YOU,
    StepState.IN_PROGRESS,
    StepState.COMPLETED,
    StepState.EXEMPTED,
)


@dataclass
class DemoReport:
    """What a load did. `changed` is false when everything was already in place."""

    anchor: datetime
    programs: LoadResult
    offices_created: int = 0
    offices_updated: int = 0
    people_created: int = 0
    cases_created: int = 0
    cases_replayed: int = 0
    events_created: int = 0
    parties_created: int = 0
    emails_marked_sent: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.programs.changed
            or self.offices_created
            or self.offices_updated
            or self.people_created
            or self.cases_created
            or self.events_created
            or self.parties_created
            or self.emails_marked_sent
        )


@dataclass(frozen=True)
class SignIn:
    role: str
    username: str
    description: str


SIGN_INS = (
    SignIn("applicant", "amelie", "Amélie Lefebvre, with cases in several states"),
    SignIn("sponsor", "sponsor", "Geneviève Tremblay, sponsor of her spouse and daughter"),
    SignIn(
        "representative", "rep", f"Nadia Belkacem, authorised by {len(data.REPRESENTED)} clients"
    ),
    SignIn("employer", "employer", "Julie Bouchard"),
    SignIn("officer", "officer", "Émilie Côté, Ottawa (IEC and eTA)"),
    SignIn("supervisor", "supervisor", "Robert Nadeau, Ottawa"),
    SignIn("analyst", "analyst", "Kavita Rao, policy analyst"),
    SignIn("administrator", "admin", "superuser, for /en/admin/"),
)


def load_demo(
    *,
    size: int = DEFAULT_SIZE,
    now: datetime | None = None,
    programs_directory: Path | None = None,
) -> DemoReport:
    """Load (or top up) the demonstration data with `size` cases. Idempotent: a second
    run with the same size writes nothing."""
    if size < 0:
        raise ValueError("size must be zero or more")
    anchor = _anchor(now)
    report = DemoReport(anchor=anchor, programs=load_programs(directory=programs_directory))
    offices = _ensure_offices(report)
    programs = current_programs(programs_directory)
    people = _ensure_people(report, offices, anchor, programs)
    _ensure_representations(people, anchor)
    open_codes = set(Program.objects.filter(is_open=True).values_list("code", flat=True))
    shown = {code: programs[code] for code in sorted(open_codes & set(programs))}
    for plan in plan_cases(size=size, anchor=anchor, programs=shown):
        # One transaction per case: a case is loaded whole or not at all.
        with transaction.atomic():
            _carry_out(plan, people, report)
    _ensure_follow_up(people, anchor)
    report.emails_marked_sent = _mark_demo_emails_sent(anchor)
    return report


# -- The timeline -------------------------------------------------------------------


def _anchor(now: datetime | None) -> datetime:
    first = User.objects.filter(username=ANCHOR_ACCOUNT).values_list("date_joined", flat=True)
    if first:
        return first[0].astimezone(UTC)
    at = (now or clock.now()).astimezone(UTC)
    return at.replace(second=0, microsecond=0)


# -- Offices and people ----------------------------------------------------------------


def _ensure_offices(report: DemoReport) -> dict[str, Office]:
    offices: dict[str, Office] = {}
    for item in data.OFFICES:
        wanted = {"name_en": item.name_en, "name_fr": item.name_fr, "time_zone": item.time_zone}
        office, created = Office.objects.get_or_create(code=item.code, defaults=wanted)
        if created:
            report.offices_created += 1
        elif any(getattr(office, name) != value for name, value in wanted.items()):
            Office.objects.filter(pk=office.pk).update(**wanted)
            report.offices_updated += 1
        offices[item.code] = office
    return offices


def _ensure_people(
    report: DemoReport, offices: dict[str, Office], anchor: datetime, programs: Iterable[str]
) -> dict[str, User]:
    """Every demo account by username, creating the missing ones."""
    existing = {user.username: user for user in User.objects.filter(username__in=_usernames())}
    # One hash for every demo account: hashing ~70 passwords one by one would take longer
    # than loading every case.
    password_hash = make_password(data.DEMO_PASSWORD)

    def person(
        username: str,
        given_name: str,
        family_name: str,
        roles: list[Role],
        *,
        language: str,
        email: str,
        office: Office | None = None,
    ) -> User:
        user = existing.get(username)
        if user is not None:
            return user
        user = create_person(
            username=username,
            email=email,
            password=None,
            roles=roles,
            first_name=given_name,
            last_name=family_name,
            preferred_language=language,
            office=office,
        )
        user.password = password_hash
        user.date_joined = anchor
        user.save(update_fields=["password", "date_joined"])
        report.people_created += 1
        existing[username] = user
        return user

    people: dict[str, User] = {}
    for client in (*data.APPLICANTS, data.REPRESENTATIVE, data.EMPLOYER):
        roles = [Role.APPLICANT]
        if client.group in (data.CITIZEN, data.RESIDENT) or client.username == "sponsor":
            roles.append(Role.SPONSOR)
        if client.username == "rep":
            roles = [Role.REPRESENTATIVE]
        if client.username == "employer":
            roles = [Role.EMPLOYER]
        people[client.username] = person(
            client.username,
            client.given_name,
            client.family_name,
            roles,
            language=client.language,
            email=_client_email(client),
        )
    staff: list[tuple[StaffData, Role]] = [
        *((officer, Role.OFFICER) for officer in data.OFFICERS),
        *((supervisor, Role.SUPERVISOR) for supervisor in data.SUPERVISORS),
        (data.ANALYST, Role.ANALYST),
    ]
    for member, role in staff:
        people[member.username] = person(
            member.username,
            member.given_name,
            member.family_name,
            [role],
            language=member.language,
            email=f"{member.username}@department.example",
            office=offices[member.office],
        )
    listed = {code for office in data.OFFICES for code in office.programs}
    unlisted = sorted(set(programs) - listed)
    for index, officer in enumerate(data.OFFICERS):
        _ensure_officer_skills(people[officer.username], officer, index, unlisted)
    admin = person(
        "admin", "Site", "Administrator", [], language="en", email="admin@department.example"
    )
    if not (admin.is_superuser and admin.is_staff):
        User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    people["admin"] = admin
    for member, _role in staff:
        _ensure_demo_authenticator(people[member.username])
    _ensure_demo_authenticator(admin)
    return people


def _ensure_demo_authenticator(user: User) -> None:
    """Give a staff account its own demo authenticator app, with a random secret."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    for device in devices.filter(name=data.DEMO_DEVICE_NAME, key=data.RETIRED_SHARED_TOTP_KEY):
        device.key = default_key()
        device.save(update_fields=["key"])
    if not devices.exists():
        # django-otp draws a random key for each new device.
        TOTPDevice.objects.create(user=user, name=data.DEMO_DEVICE_NAME, confirmed=True)


def demo_totp_device(username: str) -> TOTPDevice | None:
    """The demo authenticator of a demo staff account; None for any other account, and
    for a demo account without that app."""
    if username not in {member.username for member in _staff_data()} | {"admin"}:
        return None
    return TOTPDevice.objects.filter(
        user__username=username, name=data.DEMO_DEVICE_NAME, confirmed=True
    ).first()


def _staff_data() -> tuple[StaffData, ...]:
    return (*data.OFFICERS, *data.SUPERVISORS, data.ANALYST)


def _ensure_officer_skills(
    officer: User, member: StaffData, index: int, unlisted: list[str]
) -> None:
    """Capacity and skills for routing: the programs of the officer's office at a
    proficiency that varies between officers, their languages, and a risk area for some.
    A program no demo office lists (one added since) is processed in every office."""
    for program in unlisted:
        Skill.objects.get_or_create(
            officer=officer, kind="program", value=program, defaults={"proficiency": 3}
        )
    if OfficerProfile.objects.filter(officer=officer).exists():
        return
    OfficerProfile.objects.create(officer=officer, weekly_capacity=12 + 4 * (index % 4))
    programs = next(office.programs for office in data.OFFICES if office.code == member.office)
    skills = [("program", program, 2 + (index + n) % 4) for n, program in enumerate(programs)]
    skills.append(("language", member.language, 5))
    if member.language == "fr" or index % 3 == 0:
        skills.append(("language", "en" if member.language == "fr" else "fr", 3))
    risk_areas = ("criminality", "medical", "inadmissibility", "financial")
    if index % 2 == 0:
        skills.append(("risk_area", risk_areas[(index // 2) % len(risk_areas)], 3))
    Skill.objects.bulk_create(
        Skill(officer=officer, kind=kind, value=value, proficiency=proficiency)
        for kind, value, proficiency in skills
    )


def _usernames() -> list[str]:
    names = [c.username for c in (*data.APPLICANTS, data.REPRESENTATIVE, data.EMPLOYER)]
    names += [s.username for s in _staff_data()]
    return [*names, "admin"]


def _client_email(client: ClientData) -> str:
    domain = "example.org" if client.username == "rep" else "example.com"
    return f"{ascii_text(client.username)}@{domain}"


# -- Planning a case -------------------------------------------------------------------


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


@dataclass(frozen=True)
class Spec:
    """What a forced case must be; anything left as None is drawn at random."""

    program: str
    status: CaseStatus
    account: str | None = None
    category: str | None = None
    age_days: float | None = None
    officer: str | None = None
    steps: dict[Step, StepState] | None = None
    tier_one: bool | None = None
    withdraw_from: CaseStatus | None = None


def _latin_square() -> list[Spec]:
    """Five officer-review cases in which each step takes each of its five states once."""
    specs = []
    for row in range(5):
        steps = {step: STEP_STATES[(row + column) % 5] for column, step in enumerate(STEP_ORDER)}
        specs.append(
            Spec(
                "iec",
                CaseStatus.IN_REVIEW,
                account=(
                    "liam.obrien",
                    "sophie.muller",
                    "lucia.fernandez",
                    "ana.silva",
                    "tomas.novak",
                )[row],
                category="young-professionals",
                age_days=20 + 6 * row,
                officer="officer",
                steps=steps,
                tier_one=False,
            )
        )
    return specs


# The first cases are fixed, so that a demo of any size shows every status and step state,
# and so that the demo applicant and officer have something to look at.
FORCED: tuple[Spec, ...] = (
    Spec(
        "iec",
        CaseStatus.APPROVED,
        account="amelie",
        category="working-holiday",
        age_days=330,
        officer="officer",
        tier_one=True,
    ),
    Spec("eta", CaseStatus.APPROVED, account="amelie", age_days=320, tier_one=True),
    Spec(
        "iec",
        CaseStatus.REFUSED,
        account="amelie",
        category="international-coop",
        age_days=230,
        officer="officer",
        tier_one=False,
    ),
    Spec(
        "iec",
        CaseStatus.WITHDRAWN,
        account="amelie",
        category="working-holiday",
        age_days=150,
        officer="officer",
        withdraw_from=CaseStatus.IN_REVIEW,
    ),
    Spec(
        "iec",
        CaseStatus.IN_REVIEW,
        account="amelie",
        category="young-professionals",
        age_days=38,
        officer="officer",
        tier_one=True,
        steps={
            Step.ELIGIBILITY: StepState.COMPLETED,
            Step.BACKGROUND: StepState.IN_PROGRESS,
            Step.MEDICAL: StepState.EXEMPTED,
            Step.BIOMETRICS: StepState.WAITING_ON_YOU,
        },
    ),
    Spec("eta", CaseStatus.RECEIVED, account="amelie", age_days=0.02),
    *_latin_square(),
    Spec("citizenship", CaseStatus.TRIAGE, account="priya.sharma", age_days=0.3),
    Spec("pr-card", CaseStatus.RECEIVED, account="wei.zhang", age_days=0.05),
    Spec(
        "family-sponsor",
        CaseStatus.IN_REVIEW,
        account="sponsor",
        category="spouse",
        age_days=95,
        steps={Step.ELIGIBILITY: StepState.COMPLETED, Step.BACKGROUND: StepState.IN_PROGRESS},
    ),
    Spec(
        "family-dependent-child",
        CaseStatus.IN_REVIEW,
        account="lea.tremblay",
        age_days=80,
        steps={
            Step.ELIGIBILITY: StepState.IN_PROGRESS,
            Step.MEDICAL: StepState.WAITING_ON_YOU,
            Step.BIOMETRICS: StepState.COMPLETED,
        },
    ),
    Spec(
        "citizenship",
        CaseStatus.WITHDRAWN,
        account="mamadou.diallo",
        age_days=200,
        withdraw_from=CaseStatus.TRIAGE,
    ),
    Spec("pr-card", CaseStatus.REFUSED, account="olena.kovalenko", age_days=140),
    Spec("family-sponsor", CaseStatus.APPROVED, account="marc.gagnon", age_days=300),
)


def plan_cases(
    *, size: int, anchor: datetime, programs: dict[str, ProgramBundle]
) -> Iterable[CasePlan]:
    """The plans of the first `size` cases. Case n is the same whatever the size."""
    drawn = {code: bundle for code, bundle in programs.items() if bundle.definition.demo.share}
    for index in range(size):
        rng = random.Random(f"{SEED}:{index}")  # noqa: S311 - demo data, not secrets
        spec = FORCED[index] if index < len(FORCED) else _random_spec(rng, drawn)
        if spec is None or spec.program not in programs:
            continue
        yield _plan(index, spec, rng, anchor, programs[spec.program])


def _random_spec(rng: random.Random, programs: dict[str, ProgramBundle]) -> Spec | None:
    if not programs:
        return None
    codes = sorted(programs)
    shares = [programs[code].definition.demo.share for code in codes]
    program = rng.choices(codes, weights=shares)[0]
    # Newer files are more numerous: a year of intake with an inventory still in progress.
    age = 365 * rng.random() ** 1.4
    standard = programs[program].definition.service_standard.days
    decided_odds = min(0.92, age / standard)
    if rng.random() < decided_odds:
        status = rng.choices(
            (CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN), weights=(72, 12, 16)
        )[0]
    elif age < 1:
        status = rng.choice((CaseStatus.RECEIVED, CaseStatus.TRIAGE, CaseStatus.TRIAGE))
    elif age < 15:
        status = rng.choice((CaseStatus.TRIAGE, CaseStatus.IN_REVIEW, CaseStatus.IN_REVIEW))
    else:
        status = CaseStatus.IN_REVIEW
    if status in (CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        age = max(age, 2.0)
    elif status == CaseStatus.IN_REVIEW:
        age = max(age, 1.5)
    withdraw_from = None
    if status == CaseStatus.WITHDRAWN:
        withdraw_from = rng.choices(
            (CaseStatus.RECEIVED, CaseStatus.TRIAGE, CaseStatus.IN_REVIEW), weights=(1, 2, 5)
        )[0]
    return Spec(program, status, age_days=age, withdraw_from=withdraw_from)


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
    sample = draw_sample(bundle, rng, day=submitted_at.date(), category=spec.category)
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
        email=_client_email(client),
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
    _schedule(plan, rng, anchor, automatic, by_officer, closing, officer)


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


def _schedule(
    plan: CasePlan,
    rng: random.Random,
    anchor: datetime,
    automatic: list[Command],
    by_officer: list[Command],
    closing: list[Command],
    officer: str,
) -> None:
    """Give every command an instant after the one before, all before the anchor."""
    latest = anchor - timedelta(minutes=1)
    at = plan.submitted_at
    room = latest - at
    for command in automatic:
        at += min(timedelta(seconds=rng.uniform(20, 600)), room / (len(automatic) + 4))
        command.at = at
    if by_officer:
        span = timedelta(days=_processing_days(plan) * rng.uniform(0.25, 1.1))
        end = min(at + span, latest - (room * 0.05 if closing else timedelta(0)))
        if plan.status not in (CaseStatus.APPROVED, CaseStatus.REFUSED):
            end = min(end, latest - timedelta(minutes=rng.uniform(5, 600)))
            if plan.status == CaseStatus.IN_REVIEW:
                # Work still under way: spread it up to close to now.
                end = max(end, latest - timedelta(days=rng.uniform(0, 10)))
        end = max(end, at + timedelta(minutes=len(by_officer) + 1))
        begin = at + (end - at) * rng.uniform(0.05, 0.3)
        fractions = sorted(rng.random() for _ in by_officer[1:])
        instants = [begin] + [begin + (end - begin) * f for f in fractions]
        if plan.status in (CaseStatus.APPROVED, CaseStatus.REFUSED):
            instants[-1] = end
        zone = OFFICER_ZONES[officer]
        for command, instant in zip(by_officer, instants, strict=True):
            instant = _office_hours(instant, rng, zone, at, end)
            at = max(instant, at + timedelta(seconds=30))
            command.at = at
    for command in closing:
        at = at + (latest - at) * rng.uniform(0.1, 0.9)
        command.at = at
    plan.commands = [*automatic, *by_officer, *closing]
    for earlier, later in zip(plan.commands, plan.commands[1:], strict=False):
        if later.at <= earlier.at:
            later.at = earlier.at + timedelta(seconds=1)
    if plan.commands and plan.commands[-1].at >= anchor:
        raise ValueError(f"{plan.key}: the plan runs past the anchor")  # pragma: no cover


OFFICER_ZONES = {
    officer.username: ZoneInfo(next(o.time_zone for o in data.OFFICES if o.code == officer.office))
    for officer in data.OFFICERS
}


def _processing_days(plan: CasePlan) -> float:
    """How long an officer's part usually takes: most files finish within the standard."""
    return max(1.0, 0.8 * plan.service_standard_days)


def _office_hours(
    instant: datetime, rng: random.Random, zone: ZoneInfo, earliest: datetime, latest: datetime
) -> datetime:
    """Move an officer's action into office hours on a weekday when that stays in range."""
    local = instant.astimezone(zone)
    day = local.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moved = datetime.combine(
        day, time(hour=rng.randint(8, 16), minute=rng.randint(0, 59)), tzinfo=zone
    ).astimezone(UTC)
    return moved if earliest < moved < latest else instant


# -- Carrying a plan out -------------------------------------------------------------------


def _carry_out(plan: CasePlan, people: dict[str, User], report: DemoReport) -> None:
    """Submit the application and run its commands; on a second load, each call replays."""
    submitter = people[plan.account]
    submission = submit_application(
        submitter=submitter,
        program_code=plan.program,
        category=plan.category,
        given_name=plan.given_name,
        family_name=plan.family_name,
        date_of_birth=plan.date_of_birth,
        citizenship=plan.citizenship,
        email=plan.email,
        preferred_language=plan.language,
        answers=plan.answers,
        documents=[plan.document],
        idempotency_key=plan.key,
        now=plan.submitted_at,
    )
    case = submission.case
    if submission.replayed:
        report.cases_replayed += 1
    else:
        report.cases_created += 1
        report.events_created += 1
    granted = plan.submitted_at + timedelta(seconds=5)
    if plan.representative and not submission.replayed:
        # The client's authorisation gave the representative the case on submission.
        report.parties_created += 1
    if plan.sponsor:
        report.parties_created += _grant(
            case, submitter, people[plan.sponsor], PartyRole.SPONSOR, granted, plan.key
        )
    for number, command in enumerate(plan.commands, start=1):
        result = _run(case, command, f"{plan.key}-{number:02d}-{command.kind}", people)
        if not result.replayed:
            report.events_created += 1


def _ensure_follow_up(people: dict[str, User], anchor: datetime) -> None:
    """On the oldest file in review of a few applicants, the officer asks for a document
    for a step not finished yet and writes a message, so that their tracker has
    something to do and their messages something to read. Keyed by the case, so a
    second run adds nothing."""
    for username in data.FOLLOWED_UP:
        cases = Case.objects.filter(
            parties__person=people[username],
            parties__role=PartyRole.APPLICANT,
            status=CaseStatus.IN_REVIEW,
        ).order_by("received_at", "pk")
        for case in cases:
            step = next(
                (s for s in Step if StepState(getattr(case, s.value)) not in FINISHED_STEP_STATES),
                None,
            )
            if step is None:
                continue
            last = case.events.order_by("-sequence").values_list("occurred_at", flat=True).first()
            asked_at = (last or anchor) + timedelta(minutes=1)
            if asked_at >= anchor - timedelta(minutes=5):
                continue
            officer = case.assigned_to or people["officer"]
            request_documents(
                case_id=case.public_id,
                actor=officer,
                step=step,
                items=[data.FOLLOW_UP_DOCUMENT],
                due_on=(anchor + timedelta(days=21)).date(),
                message=data.FOLLOW_UP_REQUEST,
                idempotency_key=f"demo-{case.reference}-documents",
                now=asked_at,
            )
            start_thread(
                case_id=case.public_id,
                person=officer,
                subject=data.FOLLOW_UP_SUBJECT,
                body=data.FOLLOW_UP_MESSAGE,
                idempotency_key=f"demo-{case.reference}-message",
                now=asked_at + timedelta(seconds=30),
            )
            break


def _ensure_representations(people: dict[str, User], anchor: datetime) -> None:
    """The represented clients authorised the representative before their first case."""
    representative = people["rep"]
    for username in sorted(data.REPRESENTED):
        authorise_representative(
            client=people[username],
            email=representative.email,
            membership_number=data.REPRESENTATIVE_MEMBERSHIP,
            now=anchor - timedelta(days=data.AUTHORISED_DAYS_AGO),
        )


def _grant(
    case: Case, applicant: User, person: User, role: PartyRole, at: datetime, key: str
) -> int:
    """The applicant authorises a representative or sponsor on their case."""
    result = grant_access(
        case_id=case.public_id,
        actor=applicant,
        person=person,
        role=role,
        idempotency_key=f"{key}-grant-{role.value}",
        now=at,
    )
    return int(not result.replayed)


def _run(case: Case, command: Command, key: str, people: dict[str, User]) -> CommandResult:
    actor: Actor = SYSTEM if command.actor is None else people[command.actor]
    common: dict[str, Any] = {"case_id": case.public_id, "idempotency_key": key, "now": command.at}
    if command.kind == "triage":
        result = begin_triage(actor=actor, **common)
        # The rules' own assessment, as the triage job records it (the job replays it).
        assessed_at = (command.at or clock.now()) + timedelta(milliseconds=1)
        assess(case=result.case, now=assessed_at, complete_eligibility=False, sample=False)
        return result
    if command.kind == "review":
        result = begin_review(actor=actor, **common)
        if isinstance(actor, User) and not result.replayed:
            # The officer who opened the review holds the file, so routing leaves it.
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                start_work(
                    case=locked,
                    officer=actor,
                    idempotency_key=f"{key}-start",
                    reasons={"how": "demo"},
                    now=(command.at or clock.now()) + timedelta(milliseconds=1),
                )
        return result
    if command.kind == "step":
        assert command.step is not None
        assert command.state is not None
        return record_step(
            actor=actor,
            step=command.step,
            state=command.state,
            note=command.note,
            ruleset_version=command.ruleset_version,
            **common,
        )
    if command.kind in ("approve", "refuse"):
        return record_decision(
            actor=actor,
            approve=command.kind == "approve",
            reasons=command.reasons,
            legal_grounds=list(command.legal_grounds),
            **common,
        )
    if command.kind == "withdraw":
        assert isinstance(actor, User)
        return withdraw_application(actor=actor, reason=command.reasons, **common)
    raise ValueError(f"unknown demo command {command.kind!r}")  # pragma: no cover


def _mark_demo_emails_sent(anchor: datetime) -> int:
    """The demo's acknowledgement emails belong to its invented past: mark them as
    delivered then, so that a mail worker does not send a year of them on first start."""
    with transaction.atomic():
        return OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING,
            created_at__lt=anchor,
            case__application__idempotency_key__startswith=KEY_PREFIX,
            case__application__submitted_by__username__in=[c.username for c in data.APPLICANTS],
        ).update(status=OutboxMessage.Status.SENT, sent_at=F("created_at"), attempts=1)
