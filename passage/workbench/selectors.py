"""Reads for the officer workbench, always scoped by the person asking.

Only department staff see anything here: for anyone else a queue is empty, an overview
has no office, and a case raises `Case.DoesNotExist` (a 404 for the page). Every case
read goes through `cases_visible_to`.
"""

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.selectors import cases_visible_to
from passage.cases.services import eligibility_finding
from passage.cases.status import (
    FINISHED_STEP_STATES,
    OPEN_STATUSES,
    ActorRole,
    CaseStatus,
    EventKind,
    Step,
    StepState,
    Tier,
)
from passage.cases.wording import case_wording
from passage.intake.flows.messages import display_answer
from passage.intake.flows.registry import flow_for
from passage.intake.models import ApplicationAnswers, Document, Program
from passage.languages import in_language
from passage.triage.rulesets import current_rulesets
from passage.workbench.models import Leave, RoutingRun, Skill

# --- Shared pieces ---------------------------------------------------------------------


@dataclass(frozen=True)
class StepStatus:
    step: Step
    state: StepState

    @property
    def label(self) -> str:
        return str(self.step.label)

    @property
    def state_label(self) -> str:
        return str(self.state.label)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STEP_STATES


def _steps(case: Case) -> list[StepStatus]:
    return [StepStatus(step, StepState(getattr(case, step.value))) for step in Step]


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _age_days(received_at: datetime, now: datetime) -> int:
    return max(0, (now - received_at).days)


def _due_on(received_at: datetime, program: Program) -> date:
    """The service standard's date: the day received plus the program's standard."""
    return timezone.localdate(received_at) + timedelta(days=program.service_standard_days)


def _tier_label(case: Case) -> str:
    # A file in blind review is routine by construction: its tier would give the outcome away.
    if case.blind_review:
        return _("Blind review")
    return str(Tier(case.tier).label) if case.tier else _("Not triaged")


def _person_name(person: User | None) -> str:
    if person is None:
        return str(ActorRole.SYSTEM.label)
    return person.get_full_name() or person.get_username()


def _is_staff(person: User) -> bool:
    return person.is_active and person.is_department_staff


# --- The officer's queue ----------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    case_id: UUID
    reference: str
    program: str
    category: str
    tier: int | None
    tier_label: str
    blind_review: bool
    status_label: str
    age_days: int
    due_on: date
    overdue: bool
    steps: list[StepStatus]
    started: bool


@dataclass(frozen=True)
class TierCount:
    label: str
    count: int


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    by_tier: list[TierCount]
    started: int
    unassigned_in_review: int

    @property
    def total(self) -> int:
        return len(self.rows)


def officer_queue(*, person: User, now: datetime | None = None) -> Queue:
    """The open files assigned to the person, oldest first, with their tier, age and due
    date; counts by tier; and how many files in review wait unassigned."""
    if not _is_staff(person):
        return Queue(rows=[], by_tier=[], started=0, unassigned_in_review=0)
    at = now or clock.now()
    today = _today(at)
    visible = cases_visible_to(person)
    cases = (
        visible.filter(assigned_to=person, status__in=OPEN_STATUSES)
        .select_related("program")
        .order_by("received_at", "pk")
    )
    language = get_language() or "en"
    rows = []
    tiers: dict[str, int] = defaultdict(int)
    for case in cases:
        due_on = _due_on(case.received_at, case.program)
        tier_label = _tier_label(case)
        tiers[tier_label] += 1
        rows.append(
            QueueRow(
                case_id=case.public_id,
                reference=case.reference,
                program=case.program.name(language),
                category=case.category,
                tier=None if case.blind_review else case.tier,
                tier_label=tier_label,
                blind_review=case.blind_review,
                status_label=str(CaseStatus(case.status).label),
                age_days=_age_days(case.received_at, at),
                due_on=due_on,
                overdue=due_on < today,
                steps=_steps(case),
                started=case.work_started_at is not None,
            )
        )
    order = [str(tier.label) for tier in Tier] + [_("Blind review"), _("Not triaged")]
    by_tier = [TierCount(label, tiers[label]) for label in order if tiers.get(label)]
    unassigned = visible.filter(status=CaseStatus.IN_REVIEW, assigned_to__isnull=True).count()
    return Queue(
        rows=rows,
        by_tier=by_tier,
        started=sum(1 for row in rows if row.started),
        unassigned_in_review=unassigned,
    )


# --- One case ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    result: str
    detail: str
    citation_title: str
    citation_href: str

    @property
    def result_label(self) -> str:
        return {"pass": _("Passed"), "fail": _("Not passed"), "unknown": _("Unknown")}.get(
            self.result, self.result
        )


@dataclass(frozen=True)
class Assessment:
    """The latest triage assessment of a file, as an officer reads it."""

    outcome: str
    tier_label: str
    ruleset_version: str
    assessed_at: datetime
    criteria: list[Criterion]
    error: str = ""
    pulled_out: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        if self.outcome == "eligible_auto":
            return _("Eligible: every criterion passed")
        return _("Needs an officer")


@dataclass(frozen=True)
class Assignment:
    officer: str
    occurred_at: datetime
    reasons: list[str]


@dataclass(frozen=True)
class HistoryEntry:
    sequence: int
    label: str
    occurred_at: datetime
    actor: str
    actor_role: str
    details: list[str]


@dataclass(frozen=True)
class Note:
    text: str
    author: str
    occurred_at: datetime


@dataclass(frozen=True)
class Answer:
    name: str
    value: str


@dataclass(frozen=True)
class CaseView:
    """What the case page shows: the file, the rules' explanation (unless the file is in
    blind review), who has it and why, and its whole history."""

    case: Case
    program: str
    status_label: str
    age_days: int
    due_on: date
    overdue: bool
    steps: list[StepStatus]
    answers: list[Answer]
    answers_version: int | None
    documents: list[Document]
    document_requests: list[DocumentRequest]
    assessment: Assessment | None
    blind_review: bool
    eligibility_finding: bool | None
    assigned_to: str
    assignment: Assignment | None
    history: list[HistoryEntry]
    notes: list[Note]

    @property
    def is_open(self) -> bool:
        return self.case.status in OPEN_STATUSES

    @property
    def in_review(self) -> bool:
        return self.case.status == CaseStatus.IN_REVIEW

    @property
    def eligibility_finished(self) -> bool:
        return StepState(self.case.eligibility) in FINISHED_STEP_STATES

    @property
    def open_steps(self) -> list[StepStatus]:
        return [step for step in self.steps if not step.finished]

    @property
    def all_steps_finished(self) -> bool:
        return all(step.finished for step in self.steps)


def case_view(*, person: User, case_id: UUID, now: datetime | None = None) -> CaseView:
    """Everything the workbench shows about one case, or Case.DoesNotExist when the
    person may not see it (anyone but department staff)."""
    if not _is_staff(person):
        raise Case.DoesNotExist("Case matching query does not exist.")
    at = now or clock.now()
    case = (
        cases_visible_to(person)
        .select_related("program", "application", "assigned_to", "decided_by")
        .get(public_id=case_id)
    )
    language = get_language() or "en"
    events = list(case.events.select_related("actor").order_by("sequence"))
    people = _people_named_in(events)
    latest_answers = (
        ApplicationAnswers.objects.filter(application_id=case.application_id)
        .order_by("-version")
        .first()
    )
    due_on = _due_on(case.received_at, case.program)
    return CaseView(
        case=case,
        program=case.program.name(language),
        status_label=str(CaseStatus(case.status).label),
        age_days=_age_days(case.received_at, at),
        due_on=due_on,
        overdue=case.status in OPEN_STATUSES and due_on < _today(at),
        steps=_steps(case),
        answers=_answers(latest_answers.answers if latest_answers else {}, case.program.code),
        answers_version=latest_answers.version if latest_answers else None,
        documents=list(case.application.documents.order_by("uploaded_at", "pk")),
        document_requests=list(
            case.document_requests.select_related("requested_by").order_by("requested_at")
        ),
        assessment=None if case.blind_review else _assessment(case, events, language),
        blind_review=case.blind_review,
        eligibility_finding=eligibility_finding(case),
        assigned_to=_person_name(case.assigned_to) if case.assigned_to else "",
        assignment=_assignment(events, people, blind=case.blind_review),
        history=[_history_entry(event, people, case.blind_review) for event in events],
        notes=[
            Note(
                text=event.payload.get("text", ""),
                author=_person_name(event.actor),
                occurred_at=event.occurred_at,
            )
            for event in events
            if event.kind == EventKind.NOTE_ADDED
        ],
    )


def _people_named_in(events: list[CaseEvent]) -> dict[int, User]:
    """The officers that assignment events name, fetched at once."""
    ids = {
        event.payload.get("officer")
        for event in events
        if event.kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED)
    }
    ids.discard(None)
    return {person.pk: person for person in User.objects.filter(pk__in=ids)}


def _answers(answers: dict[str, Any], program: str) -> list[Answer]:
    """The answers as the check-your-answers page words them where the program's question
    flow knows the question (lists of people and periods one per line), else as stored."""
    flow = flow_for(program)

    def shown(name: str, value: Any) -> str:
        question = flow.question(name) if flow is not None else None
        if question is not None:
            return display_answer(question, value)
        if value is True:
            return _("Yes")
        if value is False:
            return _("No")
        if value is None:
            return _("Not answered")
        if isinstance(value, list | dict):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    return [Answer(name=name, value=shown(name, value)) for name, value in answers.items()]


def _split_citation(citation: Any) -> tuple[str, str]:
    """A citation as stored ("Title, https://...") into its title and its address."""
    if isinstance(citation, dict):
        return str(citation.get("title", "")), str(citation.get("href", ""))
    text = str(citation or "")
    title, separator, href = text.rpartition(", ")
    if separator and href.startswith(("https://", "http://")):
        return title, href
    return text, ""


def _assessment(case: Case, events: list[CaseEvent], language: str) -> Assessment | None:
    latest = next(
        (event for event in reversed(events) if event.kind == EventKind.TRIAGE_ASSESSED), None
    )
    if latest is None:
        return None
    payload = latest.payload
    ruleset = current_rulesets().get(case.program.code)
    labels = {
        criterion.id: criterion.label.get(language) or criterion.label.get("en", criterion.id)
        for criterion in (ruleset.criteria if ruleset else ())
    }
    criteria = []
    for item in payload.get("criteria", []):
        title, href = _split_citation(item.get("citation"))
        criteria.append(
            Criterion(
                id=str(item.get("id", "")),
                label=labels.get(item.get("id", ""), str(item.get("id", ""))),
                result=str(item.get("result", "")),
                detail=str(item.get("detail", "")),
                citation_title=title,
                citation_href=href,
            )
        )
    tier = payload.get("tier")
    return Assessment(
        outcome=str(payload.get("outcome", "")),
        tier_label=str(Tier(int(tier)).label) if tier in Tier.values else "",
        ruleset_version=latest.ruleset_version or str(payload.get("ruleset", "")),
        assessed_at=latest.occurred_at,
        criteria=criteria,
        error=str(payload.get("error", "")),
        pulled_out=[str(rule) for rule in payload.get("pulled_out", [])],
    )


def _assignment(
    events: list[CaseEvent], people: dict[int, User], *, blind: bool
) -> Assignment | None:
    """Who has the file and why, from the latest assignment or start of work; a start of
    work on a routed file also shows the routing's reasons."""
    latest = None
    for event in events:
        if event.kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED):
            latest = event
        elif event.kind == EventKind.UNASSIGNED:
            latest = None
    if latest is None:
        return None
    officer = people.get(latest.payload.get("officer"))
    reasons = _reason_lines(latest.payload.get("reasons") or {}, blind=blind)
    if latest.kind == EventKind.WORK_STARTED:
        routed = next(
            (
                event
                for event in reversed(events)
                if event.kind == EventKind.ASSIGNED
                and event.sequence < latest.sequence
                and event.payload.get("officer") == latest.payload.get("officer")
            ),
            None,
        )
        if routed is not None:
            reasons += _reason_lines(routed.payload.get("reasons") or {}, blind=blind)
    return Assignment(
        officer=_person_name(officer) if officer else "",
        occurred_at=latest.occurred_at,
        reasons=reasons,
    )


def _reason_lines(reasons: dict[str, Any], *, blind: bool) -> list[str]:
    """Assignment reasons (the claim's, a supervisor's or routing's) as sentences."""
    lines = []
    how = reasons.get("how")
    if how == "routed to you":
        lines.append(_("Taken by the officer: routing had given it to them."))
    elif how == "next in your skills":
        lines.append(_("Taken by the officer: the oldest waiting file their skills cover."))
    if reasons.get("by") == "supervisor":
        lines.append(_("Given by a supervisor: %(reason)s") % {"reason": reasons.get("reason", "")})
    if "method" in reasons:
        lines.append(_("Assigned by routing (%(method)s).") % {"method": reasons["method"]})
    # The proficiency a file needs follows its tier, so a blind review file hides it.
    if not blind:
        for requirement in reasons.get("requirements") or []:
            lines.append(
                _("Skill %(skill)s: needs %(minimum)s, the officer holds %(proficiency)s.")
                % {
                    "skill": requirement.get("skill", ""),
                    "minimum": requirement.get("minimum", ""),
                    "proficiency": requirement.get("proficiency", ""),
                }
            )
    if reasons.get("office"):
        lines.append(_("Office: %(office)s.") % {"office": reasons["office"]})
    if "officer_load" in reasons:
        lines.append(
            _("Officer's load when assigned: %(load)s%%.")
            % {"load": round(float(reasons["officer_load"]) * 100)}
        )
    if "age_days" in reasons:
        lines.append(_("The file had waited %(days)s days.") % {"days": reasons["age_days"]})
    return lines


def _history_entry(event: CaseEvent, people: dict[int, User], blind: bool) -> HistoryEntry:
    payload = event.payload
    details: list[str] = []
    kind = event.kind
    if kind == EventKind.STEP_RECORDED:
        details.append(case_wording().step_change(payload["step"], payload["state"]))
        if "eligible" in payload:
            details.append(
                _("Requirements met") if payload["eligible"] else _("Requirements not met")
            )
        if payload.get("note"):
            # The system's notes are fixed English sentences (marked for translation where
            # they are written); an officer's note is shown as they wrote it.
            system = event.actor_role == ActorRole.SYSTEM
            details.append(_(payload["note"]) if system else payload["note"])
    elif kind == EventKind.DOCUMENTS_REQUESTED:
        details.append(
            _("%(step)s, due %(due_on)s: %(items)s")
            % {
                "step": Step(payload["step"]).label,
                "due_on": payload.get("due_on", ""),
                "items": "; ".join(payload.get("items", [])),
            }
        )
    elif kind in (EventKind.APPROVED, EventKind.REFUSED):
        if payload.get("reasons"):
            details.append(payload["reasons"])
        if payload.get("legal_grounds"):
            details.append(
                _("Legal grounds: %(grounds)s") % {"grounds": "; ".join(payload["legal_grounds"])}
            )
    elif kind == EventKind.TRIAGE_ASSESSED and not blind:
        details.append(
            _("Outcome: %(outcome)s, ruleset %(ruleset)s")
            % {"outcome": payload.get("outcome", ""), "ruleset": event.ruleset_version}
        )
    elif kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED):
        officer = people.get(payload.get("officer"))
        if officer is not None:
            details.append(_("Officer: %(name)s") % {"name": _person_name(officer)})
    elif kind in (EventKind.UNASSIGNED, EventKind.WITHDRAWN):
        if payload.get("reason"):
            details.append(payload["reason"])
    elif kind == EventKind.NOTE_ADDED:
        details.append(payload.get("text", ""))
    elif kind == EventKind.QUALITY_REVIEWED:
        details.append(
            _("Requirements met") if payload.get("eligible") else _("Requirements not met")
        )
        if payload.get("reasons"):
            details.append(payload["reasons"])
    return HistoryEntry(
        sequence=event.sequence,
        label=str(EventKind(kind).label),
        occurred_at=event.occurred_at,
        actor=_person_name(event.actor),
        actor_role=str(ActorRole(event.actor_role).label),
        details=details,
    )


# --- Supervision ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerLoad:
    officer: User
    name: str
    office: Office | None
    weekly_capacity: int
    assigned: int
    started: int
    on_leave_today: bool
    skills: list[Skill]
    leaves: list[Leave]

    @property
    def skills_summary(self) -> str:
        return ", ".join(
            f"{skill.get_kind_display()} {skill.value} ({skill.proficiency})"
            for skill in self.skills
        )


@dataclass(frozen=True)
class OfficeLoad:
    office: Office | None
    name: str
    officers: list[OfficerLoad]

    @property
    def weekly_capacity(self) -> int:
        return sum(officer.weekly_capacity for officer in self.officers)

    @property
    def available_capacity(self) -> int:
        return sum(o.weekly_capacity for o in self.officers if not o.on_leave_today)

    @property
    def assigned(self) -> int:
        return sum(officer.assigned for officer in self.officers)

    @property
    def started(self) -> int:
        return sum(officer.started for officer in self.officers)

    @property
    def on_leave_today(self) -> list[OfficerLoad]:
        return [officer for officer in self.officers if officer.on_leave_today]


@dataclass(frozen=True)
class QueueAge:
    program: str
    count: int
    oldest_days: int
    median_days: float


@dataclass(frozen=True)
class Overview:
    offices: list[OfficeLoad]
    queue_ages: list[QueueAge]
    latest_run: RoutingRun | None

    @property
    def unassigned_in_review(self) -> int:
        return sum(age.count for age in self.queue_ages)


def supervised_office(person: User) -> Office | None:
    """The office whose officers and files the person manages: their own, if they are an
    active supervisor; None (they manage nobody) otherwise."""
    if not _is_staff(person) or not person.has_role(Role.SUPERVISOR):
        return None
    return person.office


def programs_processed_by(office: Office) -> set[int]:
    """The programs whose files the office may take: those naming it among their
    processing offices, and those naming none."""
    return {
        pk
        for pk, offices in Program.objects.values_list("pk", "processing_offices")
        if not offices or office.code in offices
    }


def officers(*, person: User, now: datetime | None = None) -> list[OfficerLoad]:
    """Every active officer of the supervisor's office with their capacity, open files,
    skills and current or coming leave (nobody else gets any)."""
    office = supervised_office(person)
    if office is None:
        return []
    return _officer_loads(_officer_rows().filter(office=office), _today(now or clock.now()))


def officer_for_supervisor(
    *, person: User, officer_id: int, now: datetime | None = None
) -> OfficerLoad:
    """One active officer of the supervisor's office, or User.DoesNotExist."""
    office = supervised_office(person)
    if office is None:
        raise User.DoesNotExist("User matching query does not exist.")
    today = _today(now or clock.now())
    loads = _officer_loads(_officer_rows().filter(pk=officer_id, office=office), today)
    if not loads:
        raise User.DoesNotExist("User matching query does not exist.")
    return loads[0]


def active_officer_loads(*, today: date) -> list[OfficerLoad]:
    """Every active officer's office, capacity, open and started files, skills and leave.

    Unscoped: routing (the system) reads it as it is; the supervisor's reads above keep
    to their own office."""
    return _officer_loads(_officer_rows(), today)


def _officer_rows() -> QuerySet[User]:
    open_files = Q(assigned_cases__status__in=OPEN_STATUSES)
    return (
        User.objects.filter(is_active=True, groups__name=Role.OFFICER)
        .select_related("office", "officer_profile")
        .annotate(
            open_assigned=Count("assigned_cases", filter=open_files, distinct=True),
            open_started=Count(
                "assigned_cases",
                filter=open_files & Q(assigned_cases__work_started_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("office__code", "last_name", "first_name", "username")
    )


def _officer_loads(rows: QuerySet[User], today: date) -> list[OfficerLoad]:
    rows = rows.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("kind", "value")),
        Prefetch(
            "leaves",
            queryset=Leave.objects.filter(ends_on__gte=today).order_by("starts_on"),
        ),
    )
    loads = []
    for person in rows:
        profile = getattr(person, "officer_profile", None)
        leaves = list(person.leaves.all())
        loads.append(
            OfficerLoad(
                officer=person,
                name=_person_name(person),
                office=person.office,
                weekly_capacity=profile.weekly_capacity if profile else 0,
                assigned=person.open_assigned,  # type: ignore[attr-defined]
                started=person.open_started,  # type: ignore[attr-defined]
                on_leave_today=any(leave.starts_on <= today <= leave.ends_on for leave in leaves),
                skills=list(person.skills.all()),
                leaves=leaves,
            )
        )
    return loads


def supervisor_overview(*, person: User, now: datetime | None = None) -> Overview:
    """The supervisor's office: its officers' weekly capacity, open files assigned and
    started, and who is on leave today; per program it processes, the files in review
    that nobody has, with the age of the oldest and the median age in days."""
    office = supervised_office(person)
    if office is None:
        return Overview(offices=[], queue_ages=[], latest_run=None)
    at = now or clock.now()
    language = get_language() or "en"
    loads = _officer_loads(_officer_rows().filter(office=office), _today(at))
    name = in_language(office.name_en, office.name_fr, language)
    offices = [OfficeLoad(office=office, name=name, officers=loads)] if loads else []
    waiting: dict[int, list[int]] = defaultdict(list)
    for program_id, received_at in (
        cases_visible_to(person)
        .filter(
            status=CaseStatus.IN_REVIEW,
            assigned_to__isnull=True,
            program_id__in=programs_processed_by(office),
        )
        .values_list("program_id", "received_at")
    ):
        waiting[program_id].append(_age_days(received_at, at))
    programs = Program.objects.in_bulk(list(waiting))
    queue_ages = sorted(
        (
            QueueAge(
                program=programs[program_id].name(language),
                count=len(ages),
                oldest_days=max(ages),
                median_days=statistics.median(ages),
            )
            for program_id, ages in waiting.items()
        ),
        key=lambda age: (-age.oldest_days, age.program),
    )
    return Overview(offices=offices, queue_ages=queue_ages, latest_run=RoutingRun.objects.first())


def movable_files(cases: QuerySet[Case], office: Office) -> QuerySet[Case]:
    """Those of `cases` that a supervisor of the office may move: assigned to one of its
    officers, or to nobody and of a program the office processes."""
    return cases.filter(
        Q(assigned_to__office=office)
        | Q(assigned_to__isnull=True, program_id__in=programs_processed_by(office))
    )


@dataclass(frozen=True)
class OpenFile:
    case_id: UUID
    reference: str
    program: str
    tier_label: str
    age_days: int
    assigned_to: str
    started: bool


def open_files(
    *,
    person: User,
    officer_id: int | None = None,
    unassigned: bool = False,
    program: str = "",
    now: datetime | None = None,
    limit: int = 200,
) -> list[OpenFile]:
    """Open files in triage or review, oldest first, that a supervisor may move: those of
    their office's officers and those nobody has of the programs their office processes;
    all of them, one officer's, or those nobody has; optionally of one program."""
    office = supervised_office(person)
    if office is None:
        return []
    at = now or clock.now()
    language = get_language() or "en"
    cases = movable_files(cases_visible_to(person), office).filter(
        status__in=[CaseStatus.TRIAGE, CaseStatus.IN_REVIEW]
    )
    if unassigned:
        cases = cases.filter(assigned_to__isnull=True)
    elif officer_id is not None:
        cases = cases.filter(assigned_to_id=officer_id)
    if program:
        cases = cases.filter(program__code=program)
    return [
        OpenFile(
            case_id=case.public_id,
            reference=case.reference,
            program=case.program.name(language),
            tier_label=_tier_label(case),
            age_days=_age_days(case.received_at, at),
            assigned_to=_person_name(case.assigned_to) if case.assigned_to else "",
            started=case.work_started_at is not None,
        )
        for case in cases.select_related("program", "assigned_to").order_by("received_at", "pk")[
            :limit
        ]
    ]


def references(*, person: User, case_ids: list[UUID]) -> dict[UUID, str]:
    """The references of the given files, for those the person may see."""
    if not _is_staff(person):
        return {}
    return dict(
        cases_visible_to(person)
        .filter(public_id__in=case_ids)
        .values_list("public_id", "reference")
    )
