"""The supervisor's pages: the office's capacity, load and leave with the age of the
shared queue (the overview), and the open files they may move, a page at a time."""

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.paginator import Paginator
from django.utils.translation import get_language

from passage import clock
from passage.accounts.models import Office, User
from passage.cases.models import Case
from passage.languages import in_language
from passage.pagination import PageLink, page_links
from passage.workbench import selectors
from passage.workbench.models import RoutingRun
from passage.workbench.presenters.common import age_days, officer_name, tier_label
from passage.workbench.selectors import OfficerLoad


@dataclass(frozen=True)
class OfficeLoad:
    """An office's officers, with their capacity, load and leave summed."""

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
    """The files of one program that nobody has: how many, and how old."""

    program: str
    count: int
    oldest_days: int
    median_days: float


@dataclass(frozen=True)
class InquiryFile:
    """A file nobody has whose client asked about it."""

    case_id: UUID
    reference: str
    program: str


@dataclass(frozen=True)
class Overview:
    """What the overview page shows: the office's load, the shared queue, the last routing."""

    offices: list[OfficeLoad]
    queue_ages: list[QueueAge]
    latest_run: RoutingRun | None
    # Files whose client asked about them that nobody has: no officer's queue shows them.
    inquiries_nobody_has: list[InquiryFile] = field(default_factory=list)

    @property
    def unassigned_in_review(self) -> int:
        return sum(age.count for age in self.queue_ages)


def supervisor_overview(*, person: User, now: datetime | None = None) -> Overview:
    """The supervisor's office: its officers' weekly capacity, open files assigned and
    started, and who is on leave today; per program it processes, the files in review
    that nobody has, with the age of the oldest and the median age in days."""
    office = selectors.supervised_office(person)
    if office is None:
        return Overview(offices=[], queue_ages=[], latest_run=None)
    at = now or clock.now()
    language = get_language() or "en"
    loads = selectors.officers(person=person, now=at)
    name = in_language(office.name_en, office.name_fr, language)
    queue_ages = []
    for program, received in selectors.shared_queue(person=person).items():
        ages = [age_days(received_at, at) for received_at in received]
        queue_ages.append(
            QueueAge(
                program=program.name(language),
                count=len(ages),
                oldest_days=max(ages),
                median_days=statistics.median(ages),
            )
        )
    return Overview(
        offices=[OfficeLoad(office=office, name=name, officers=loads)] if loads else [],
        queue_ages=sorted(queue_ages, key=lambda age: (-age.oldest_days, age.program)),
        latest_run=selectors.latest_routing_run(),
        inquiries_nobody_has=[
            InquiryFile(case.public_id, case.reference, case.program.name(language))
            for case in selectors.unanswered_inquiries_nobody_has(person)
        ],
    )


@dataclass(frozen=True)
class OpenFile:
    """One file a supervisor may move, as the files page lists it."""

    case_id: UUID
    reference: str
    program: str
    tier_label: str
    age_days: int
    assigned_to: str
    started: bool


# How many files the "Reassign files" page lists at once.
FILES_PER_PAGE = 25


@dataclass(frozen=True)
class OpenFilesPage:
    """One page of the files a supervisor may move, with the links to the others."""

    files: list[OpenFile]
    number: int
    start: int
    end: int
    count: int
    links: list[PageLink]


def open_files_page(
    *,
    person: User,
    officer: str = "",
    program: str = "",
    page: str = "",
    now: datetime | None = None,
    per_page: int | None = None,
) -> OpenFilesPage:
    """One page of the open files a supervisor may move, oldest first: those of one
    officer (`officer` is their id), of nobody ("none") or every one, optionally of one
    program. A page past the last one answers the last; a page that is not a number, the
    first. The links keep the filters."""
    officer_id = int(officer) if officer.isascii() and officer.isdigit() else None
    files = selectors.movable_open_files(
        person=person, officer_id=officer_id, unassigned=officer == "none", program=program
    )
    shown = Paginator(files, per_page or FILES_PER_PAGE).get_page(page)
    query = {name: value for name, value in (("officer", officer), ("program", program)) if value}
    return OpenFilesPage(
        files=[_open_file(case, now or clock.now()) for case in shown],
        number=shown.number,
        start=shown.start_index(),
        end=shown.end_index(),
        count=shown.paginator.count,
        links=page_links(shown, query),
    )


def _open_file(case: Case, at: datetime) -> OpenFile:
    language = get_language() or "en"
    return OpenFile(
        case_id=case.public_id,
        reference=case.reference,
        program=case.program.name(language),
        tier_label=tier_label(case),
        age_days=age_days(case.received_at, at),
        assigned_to=officer_name(case.assigned_to),
        started=case.work_started_at is not None,
    )


def open_files(
    *,
    person: User,
    officer_id: int | None = None,
    unassigned: bool = False,
    program: str = "",
    now: datetime | None = None,
    limit: int = 200,
) -> list[OpenFile]:
    """The open files a supervisor may move (see `selectors.movable_open_cases`), oldest
    first, with their program, tier, age and who has them."""
    at = now or clock.now()
    return [
        _open_file(case, at)
        for case in selectors.movable_open_cases(
            person=person,
            officer_id=officer_id,
            unassigned=unassigned,
            program=program,
            limit=limit,
        )
    ]
