"""Reads for the officer workbench, always scoped by the person asking.

Only department staff see anything here: for anyone else the reads are empty, a
supervisor's reads have no office, and a case raises `Case.DoesNotExist` (a 404 for the
page). Every case read goes through `cases_visible_to`. The reads return data (querysets,
models, plain records); the pages' view models are built from them in `presenters/`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from passage import clock
from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.selectors import cases_visible_to
from passage.cases.services import eligibility_finding
from passage.cases.status import OPEN_STATUSES, CaseStatus, EventKind
from passage.intake.models import ApplicationAnswers, Document, Program
from passage.workbench.models import DocumentAccess, Leave, RoutingRun, Skill


def _is_staff(person: User) -> bool:
    return person.is_active and person.is_department_staff


def _staff_cases(person: User) -> QuerySet[Case]:
    """The cases the person may see in the workbench: none unless they are staff."""
    return cases_visible_to(person) if _is_staff(person) else Case.objects.none()


# --- The officer's queue ----------------------------------------------------------------


def open_cases_assigned_to(person: User) -> QuerySet[Case]:
    """The open files assigned to the person, oldest first, with their program."""
    return (
        _staff_cases(person)
        .filter(assigned_to=person, status__in=OPEN_STATUSES)
        .select_related("program")
        .order_by("received_at", "pk")
    )


def unassigned_in_review_count(person: User) -> int:
    """How many of the files in review that the person may see wait for an officer."""
    return (
        _staff_cases(person).filter(status=CaseStatus.IN_REVIEW, assigned_to__isnull=True).count()
    )


# --- One case ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFile:
    """One case with what its page reads about it, each read once."""

    case: Case
    events: list[CaseEvent]
    # The officers that assignment events name, by id.
    officers: dict[int, User]
    answers: ApplicationAnswers | None
    documents: list[Document]
    document_requests: list[DocumentRequest]
    eligibility_finding: bool | None


def case_file(*, person: User, case_id: UUID) -> CaseFile:
    """One case with its events in order, the officers they name, its latest answers,
    documents and requests, and its eligibility finding; or Case.DoesNotExist when the
    person may not see it (anyone but department staff)."""
    case = (
        _staff_cases(person)
        .select_related("program", "application", "assigned_to", "decided_by")
        .get(public_id=case_id)
    )
    events = list(case.events.select_related("actor").order_by("sequence"))
    answers = ApplicationAnswers.objects.filter(application_id=case.application_id)
    return CaseFile(
        case=case,
        events=events,
        officers=_officers_named_in(events),
        answers=answers.order_by("-version").first(),
        documents=list(case.application.documents.order_by("uploaded_at", "pk")),
        document_requests=list(
            case.document_requests.select_related("requested_by").order_by("requested_at")
        ),
        eligibility_finding=eligibility_finding(case),
    )


@dataclass(frozen=True)
class CaseDocument:
    """One document of a case the person may see, with the case it belongs to."""

    case: Case
    document: Document


def case_document(*, person: User, case_id: UUID, document_id: int) -> CaseDocument:
    """A document of the application behind a case the person may see; Case.DoesNotExist
    or Document.DoesNotExist (both a 404 for the page) otherwise."""
    case = _staff_cases(person).select_related("program").get(public_id=case_id)
    document = Document.objects.get(pk=document_id, application_id=case.application_id)
    return CaseDocument(case=case, document=document)


def document_accesses(case: Case) -> list[DocumentAccess]:
    """Every time staff opened or downloaded a document of the case, oldest first."""
    return list(case.document_accesses.select_related("person").order_by("accessed_at", "pk"))


def _officers_named_in(events: list[CaseEvent]) -> dict[int, User]:
    """The officers that assignment events name, fetched at once."""
    ids = {
        event.payload.get("officer")
        for event in events
        if event.kind in (EventKind.ASSIGNED, EventKind.WORK_STARTED)
    }
    ids.discard(None)
    return {person.pk: person for person in User.objects.filter(pk__in=ids)}


# --- Supervision ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerLoad:
    """An active officer with their office, weekly capacity, open and started files,
    skills, and leave that has not ended."""

    officer: User
    office: Office | None
    weekly_capacity: int
    assigned: int
    started: int
    on_leave_today: bool
    skills: list[Skill]
    leaves: list[Leave]

    @property
    def name(self) -> str:
        return self.officer.get_full_name() or self.officer.get_username()

    @property
    def skills_summary(self) -> str:
        return ", ".join(
            f"{skill.get_kind_display()} {skill.value} ({skill.proficiency})"
            for skill in self.skills
        )


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
    return _officer_loads(_officer_rows().filter(office=office), _today(now))


def officer_for_supervisor(
    *, person: User, officer_id: int, now: datetime | None = None
) -> OfficerLoad:
    """One active officer of the supervisor's office, or User.DoesNotExist."""
    office = supervised_office(person)
    if office is not None:
        rows = _officer_rows().filter(pk=officer_id, office=office)
        for load in _officer_loads(rows, _today(now)):
            return load
    raise User.DoesNotExist("User matching query does not exist.")


def active_officer_loads(*, today: date) -> list[OfficerLoad]:
    """Every active officer's office, capacity, open and started files, skills and leave.

    Unscoped: routing (the system) reads it as it is; the supervisor's reads above keep
    to their own office."""
    return _officer_loads(_officer_rows(), today)


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or clock.now())


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


def shared_queue(*, person: User) -> dict[Program, list[datetime]]:
    """The files in review that nobody has, of the programs the supervisor's office
    processes: when each was received, by program (nothing for anyone else)."""
    office = supervised_office(person)
    if office is None:
        return {}
    received: dict[int, list[datetime]] = defaultdict(list)
    for program_id, received_at in (
        cases_visible_to(person)
        .filter(
            status=CaseStatus.IN_REVIEW,
            assigned_to__isnull=True,
            program_id__in=programs_processed_by(office),
        )
        .values_list("program_id", "received_at")
    ):
        received[program_id].append(received_at)
    programs = Program.objects.in_bulk(list(received))
    return {programs[program_id]: times for program_id, times in received.items()}


def latest_routing_run() -> RoutingRun | None:
    """The latest run of batch routing, if any."""
    return RoutingRun.objects.first()


def movable_files(cases: QuerySet[Case], office: Office) -> QuerySet[Case]:
    """Those of `cases` that a supervisor of the office may move: assigned to one of its
    officers, or to nobody and of a program the office processes."""
    return cases.filter(
        Q(assigned_to__office=office)
        | Q(assigned_to__isnull=True, program_id__in=programs_processed_by(office))
    )


def movable_open_cases(
    *,
    person: User,
    officer_id: int | None = None,
    unassigned: bool = False,
    program: str = "",
    limit: int = 200,
) -> list[Case]:
    """Open files in triage or review, oldest first, that a supervisor may move: those of
    their office's officers and those nobody has of the programs their office processes;
    all of them, one officer's, or those nobody has; optionally of one program."""
    office = supervised_office(person)
    if office is None:
        return []
    cases = movable_files(cases_visible_to(person), office).filter(
        status__in=[CaseStatus.TRIAGE, CaseStatus.IN_REVIEW]
    )
    if unassigned:
        cases = cases.filter(assigned_to__isnull=True)
    elif officer_id is not None:
        cases = cases.filter(assigned_to_id=officer_id)
    if program:
        cases = cases.filter(program__code=program)
    return list(
        cases.select_related("program", "assigned_to").order_by("received_at", "pk")[:limit]
    )


def references(*, person: User, case_ids: list[UUID]) -> dict[UUID, str]:
    """The references of the given files, for those the person may see."""
    return dict(
        _staff_cases(person).filter(public_id__in=case_ids).values_list("public_id", "reference")
    )
