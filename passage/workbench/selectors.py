"""Reads for the officer workbench, always scoped by the person asking.

Only officers and supervisors see anything here: for anyone else the reads are empty, a
supervisor's reads have no office, and a case raises `Case.DoesNotExist` (a 404 for the
page, the same as a missing file). Every case read goes through `files_in_reach`: an
officer reads the files of their office in the programs they hold a skill in, and the
files given to them; a supervisor reads the files of their office (`office_files`). The
reads return data (querysets, models, plain records); the pages' view models are built
from them in `presenters/`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from passage import clock
from passage.accounts.models import Office, User
from passage.accounts.roles import Role
from passage.cases.models import Case, CaseEvent, DocumentRequest
from passage.cases.selectors import cases_visible_to
from passage.cases.services import eligibility_finding
from passage.cases.status import OPEN_STATUSES, CaseStatus, EventKind
from passage.conversations.models import AuthorRole, Message, Thread
from passage.intake.models import ApplicationAnswers, Document, Program
from passage.workbench.models import DocumentAccess, Leave, RoutingRun, Skill
from passage.workbench.search import Folded, SearchQuery

# The roles a client writes in: an inquiry whose last message is one of theirs is waiting.
CLIENT_AUTHOR_ROLES = (AuthorRole.APPLICANT, AuthorRole.SPONSOR, AuthorRole.REPRESENTATIVE)


def _is_staff(person: User) -> bool:
    return person.is_active and person.is_department_staff


def office_files(office: Office) -> Q:
    """The files of an office (as a condition on `Case`): those its officers have, and
    those nobody has of the programs it processes."""
    # A subquery, not a join: the condition also scopes rows read FOR UPDATE, which no
    # database takes on the nullable side of an outer join.
    return Q(assigned_to__in=User.objects.filter(office=office).values("pk")) | Q(
        assigned_to__isnull=True, program_id__in=programs_processed_by(office)
    )


def skilled_programs(person: User) -> Q | None:
    """The files of the programs (or program categories) the person holds a skill in, as
    a condition on `Case`; None when they hold none."""
    condition: Q | None = None
    for value in Skill.objects.filter(officer=person, kind=Skill.Kind.PROGRAM).values_list(
        "value", flat=True
    ):
        code, _slash, category = value.partition("/")
        term = Q(program__code=code, category=category) if category else Q(program__code=code)
        condition = term if condition is None else condition | term
    return condition


def reach_of(person: User) -> Q | None:
    """What the person may read in the workbench, as a condition on `Case`; None for
    nothing. An officer: the files given to them, and those of their office in programs
    they hold a skill in. A supervisor: the files of their office. A supervisor's
    assignment (recorded with its reason) is how a file outside an officer's reach
    becomes theirs."""
    if not _is_staff(person):
        return None
    reach: Q | None = None
    if person.has_role(Role.OFFICER):
        reach = Q(assigned_to=person)
        programs = skilled_programs(person) if person.office is not None else None
        if person.office is not None and programs is not None:
            reach |= office_files(person.office) & programs
    if person.has_role(Role.SUPERVISOR) and person.office is not None:
        mine = office_files(person.office)
        reach = mine if reach is None else reach | mine
    return reach


def files_in_reach(person: User) -> QuerySet[Case]:
    """The cases the person may see in the workbench (`reach_of`), never one they have a
    conflict of interest with; none for anyone but officers and supervisors."""
    reach = reach_of(person)
    if reach is None:
        return Case.objects.none()
    return cases_visible_to(person).filter(reach)


def in_reach_of(person: User, case_id: UUID) -> bool:
    """Whether the file is within what the person reads in the workbench (a file already
    given to them is)."""
    return files_in_reach(person).filter(public_id=case_id).exists()


def file_in_reach(*, person: User, case_id: UUID) -> Case:
    """One case the person may see in the workbench, or Case.DoesNotExist."""
    return files_in_reach(person).select_related("program").get(public_id=case_id)


# --- The officer's queue ----------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What an officer narrows their queue to: a program code, a tier ("1" to "3", or
    "blind" for blind review, "none" for not triaged), a status, and only the files with
    an inquiry to answer. Empty means every one; the presenter drops unknown values."""

    program: str = ""
    tier: str = ""
    status: str = ""
    inquiries_only: bool = False


def open_cases_assigned_to(person: User, filters: QueueFilters | None = None) -> QuerySet[Case]:
    """The open files assigned to the person, oldest first, with their program, each
    marked `open_inquiry` while a client's inquiry about it waits for an answer; narrowed
    by `filters`."""
    cases = (
        files_in_reach(person)
        .filter(assigned_to=person, status__in=OPEN_STATUSES)
        .select_related("program")
        .annotate(open_inquiry=Exists(_unanswered_inquiries()))
        .order_by("received_at", "pk")
    )
    if filters is None:
        return cases
    if filters.program:
        cases = cases.filter(program__code=filters.program)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.inquiries_only:
        cases = cases.filter(open_inquiry=True)
    # A file in blind review shows no tier (it would give the rules' outcome away), so it
    # is never among the files of a tier.
    if filters.tier == "blind":
        cases = cases.filter(blind_review=True)
    elif filters.tier == "none":
        cases = cases.filter(blind_review=False, tier__isnull=True)
    elif filters.tier:
        cases = cases.filter(blind_review=False, tier=int(filters.tier))
    return cases


def search_files(*, person: User, query: SearchQuery, limit: int = 100) -> list[Case]:
    """The files within the person's reach that the search finds, most recently received
    first: by the whole reference or its last digits, by the applicant's date of birth,
    or with every word in the applicant's given or family name (without regard to case or
    accents); none for an empty search."""
    if query.reference:
        condition = Q(reference=query.reference)
    elif query.last_digits:
        condition = Q(reference__endswith=query.last_digits)
    elif query.date_of_birth is not None:
        condition = Q(application__date_of_birth=query.date_of_birth)
    elif query.words:
        condition = Q()
        for word in query.words:
            condition &= Q(given_folded__contains=word) | Q(family_folded__contains=word)
    else:
        return []
    cases = files_in_reach(person)
    if query.words:
        cases = cases.annotate(
            given_folded=Folded("application__given_name"),
            family_folded=Folded("application__family_name"),
        )
    return list(
        cases.filter(condition)
        .select_related("program", "application", "assigned_to")
        .order_by("-received_at", "pk")[:limit]
    )


def unanswered_inquiries_nobody_has(person: User) -> list[Case]:
    """The open files in the person's reach that nobody has and whose client asked about
    them (an inquiry no one answered yet), oldest first: no officer's queue shows them."""
    return list(
        files_in_reach(person)
        .filter(assigned_to__isnull=True, status__in=OPEN_STATUSES)
        .filter(Exists(_unanswered_inquiries()))
        .select_related("program")
        .order_by("received_at", "pk")[:100]
    )


def _unanswered_inquiries() -> QuerySet[Thread]:
    """The inquiries of the outer case whose last message is a client's: not answered."""
    last_author = (
        Message.objects.filter(thread=OuterRef("pk"))
        .order_by("-sent_at", "-pk")
        .values("author_role")[:1]
    )
    return (
        Thread.objects.filter(case=OuterRef("pk"), kind="inquiry")
        .annotate(last_author=Subquery(last_author))
        .filter(last_author__in=CLIENT_AUTHOR_ROLES)
    )


def unassigned_in_review_count(person: User) -> int:
    """How many of the files in review that the person may see wait for an officer."""
    return (
        files_in_reach(person).filter(status=CaseStatus.IN_REVIEW, assigned_to__isnull=True).count()
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
    file is out of the person's reach (`reach_of`)."""
    case = (
        files_in_reach(person)
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
            case.document_requests.select_related("requested_by__office").order_by("requested_at")
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
    case = files_in_reach(person).select_related("program").get(public_id=case_id)
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
        files_in_reach(person)
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
    return cases.filter(office_files(office))


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
    files = movable_open_files(
        person=person, officer_id=officer_id, unassigned=unassigned, program=program
    )
    return list(files[:limit])


def movable_open_files(
    *, person: User, officer_id: int | None = None, unassigned: bool = False, program: str = ""
) -> QuerySet[Case]:
    """The files of `movable_open_cases`, every one of them, as a query to read a page of."""
    office = supervised_office(person)
    if office is None:
        return Case.objects.none()
    cases = movable_files(files_in_reach(person), office).filter(
        status__in=[CaseStatus.TRIAGE, CaseStatus.IN_REVIEW]
    )
    if unassigned:
        cases = cases.filter(assigned_to__isnull=True)
    elif officer_id is not None:
        cases = cases.filter(assigned_to_id=officer_id)
    if program:
        cases = cases.filter(program__code=program)
    return cases.select_related("program", "assigned_to").order_by("received_at", "pk")


def references(*, person: User, case_ids: list[UUID]) -> dict[UUID, str]:
    """The references of the given files, for those the person may see."""
    return dict(
        files_in_reach(person).filter(public_id__in=case_ids).values_list("public_id", "reference")
    )
