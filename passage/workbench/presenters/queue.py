"""The officer's queue page: their open files with tier, age and due date, counts by
tier, and how many files in review wait for anyone; the table narrowed by program, tier,
status or inquiries and sorted as the officer chose (`queue_choices` reads the page's
GET parameters, dropping any value it does not know)."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.status import OPEN_STATUSES, CaseStatus, Tier
from passage.intake.catalogue import category_name
from passage.workbench import selectors
from passage.workbench.presenters.common import StepStatus, age_days, due_on, steps, tier_label
from passage.workbench.selectors import QueueFilters

# The orders the queue's table can be read in; the first is the default.
SORTS = ("oldest", "due", "tier", "newest")
# The tiers a queue can be narrowed to, besides 1 to 3.
OTHER_TIERS = ("blind", "none")


@dataclass(frozen=True)
class QueueRow:
    """One file of the queue as the officer reads it."""

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
    # A client's inquiry about the file waits for an answer.
    inquiry: bool = False
    program_code: str = ""


@dataclass(frozen=True)
class TierCount:
    """How many files of the queue are of one tier."""

    label: str
    count: int


@dataclass(frozen=True)
class Queue:
    """What the queue page shows: the officer's files and the counts above them."""

    rows: list[QueueRow]
    by_tier: list[TierCount]
    started: int
    unassigned_in_review: int

    @property
    def inquiries(self) -> int:
        return sum(1 for row in self.rows if row.inquiry)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Choice:
    """One option of a select of the queue's form."""

    value: str
    label: str


@dataclass(frozen=True)
class QueueTable:
    """The queue's table as the officer chose to read it, and the form that chose it."""

    rows: list[QueueRow]
    filters: QueueFilters
    sort: str
    caption: str
    programs: list[Choice] = field(default_factory=list)
    tiers: list[Choice] = field(default_factory=list)
    statuses: list[Choice] = field(default_factory=list)
    sorts: list[Choice] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return self.filters != QueueFilters()


def queue_choices(params: Mapping[str, str]) -> tuple[QueueFilters, str]:
    """The filters and the order the queue page's GET parameters ask for; an unknown
    tier, status or order is dropped (a program code that matches no file shows none)."""
    tier = params.get("tier", "")
    status = params.get("status", "")
    sort = params.get("sort", "")
    filters = QueueFilters(
        program=params.get("program", "")[:50],
        tier=tier if tier in {str(t.value) for t in Tier} | set(OTHER_TIERS) else "",
        status=status if status in {str(s) for s in OPEN_STATUSES} else "",
        inquiries_only=params.get("inquiries", "") == "1",
    )
    return filters, sort if sort in SORTS else SORTS[0]


def queue_table(
    queue: Queue,
    *,
    person: User,
    filters: QueueFilters | None = None,
    sort: str = SORTS[0],
) -> QueueTable:
    """The queue's rows narrowed by `filters` (read again through the selector) and in
    the order `sort` names, with the choices of the form above the table."""
    filters = filters or QueueFilters()
    if filters.program and filters.program not in {row.program_code for row in queue.rows}:
        filters = replace(filters, program="")
    rows = queue.rows
    if filters != QueueFilters():
        kept = set(
            selectors.open_cases_assigned_to(person, filters).values_list("public_id", flat=True)
        )
        rows = [row for row in rows if row.case_id in kept]
    return QueueTable(
        rows=_sorted(rows, sort),
        filters=filters,
        sort=sort,
        caption=_captions()[sort],
        programs=sorted(
            {Choice(row.program_code, row.program) for row in queue.rows},
            key=lambda choice: choice.label,
        ),
        tiers=[Choice(str(tier.value), str(tier.label)) for tier in Tier]
        + [Choice("blind", _("Blind review")), Choice("none", _("Not triaged"))],
        statuses=[
            Choice(str(status.value), str(status.label))
            for status in CaseStatus
            if status in OPEN_STATUSES
        ],
        sorts=[Choice(value, label) for value, label in _sort_labels().items()],
    )


def _sorted(rows: list[QueueRow], sort: str) -> list[QueueRow]:
    # The rows come oldest first; each order below keeps that among equals.
    received = {row.case_id: index for index, row in enumerate(rows)}
    if sort == "newest":
        return list(reversed(rows))
    if sort == "due":
        return sorted(rows, key=lambda row: (row.due_on, received[row.case_id]))
    if sort == "tier":
        # A file without a tier shown (blind review, not triaged) comes after tier 3.
        return sorted(rows, key=lambda row: (row.tier or len(Tier) + 1, received[row.case_id]))
    return list(rows)


def _sort_labels() -> dict[str, str]:
    return {
        "oldest": _("Oldest first"),
        "due": _("Due date, soonest first"),
        "tier": _("Tier, 1 to 3"),
        "newest": _("Newest first"),
    }


def _captions() -> dict[str, str]:
    return {
        "oldest": _("Your open files, oldest first"),
        "due": _("Your open files, by due date, soonest first"),
        "tier": _("Your open files, by tier from 1 to 3, then those without a tier shown"),
        "newest": _("Your open files, newest first"),
    }


def officer_queue(*, person: User, now: datetime | None = None) -> Queue:
    """The open files assigned to the person, oldest first, with their tier, age and due
    date; counts by tier; and how many files in review wait unassigned (all empty for
    anyone but department staff)."""
    at = now or clock.now()
    today = timezone.localdate(at)
    language = get_language() or "en"
    rows = []
    tiers: dict[str, int] = defaultdict(int)
    for case in selectors.open_cases_assigned_to(person):
        due = due_on(case.received_at, case.program)
        label = tier_label(case)
        tiers[label] += 1
        rows.append(
            QueueRow(
                case_id=case.public_id,
                reference=case.reference,
                program=case.program.name(language),
                program_code=case.program.code,
                category=(
                    category_name(case.program.code, case.category, language)
                    if case.category
                    else ""
                ),
                tier=None if case.blind_review else case.tier,
                tier_label=label,
                blind_review=case.blind_review,
                status_label=str(CaseStatus(case.status).label),
                age_days=age_days(case.received_at, at),
                due_on=due,
                overdue=due < today,
                steps=steps(case),
                started=case.work_started_at is not None,
                inquiry=bool(getattr(case, "open_inquiry", False)),
            )
        )
    order = [str(tier.label) for tier in Tier] + [_("Blind review"), _("Not triaged")]
    return Queue(
        rows=rows,
        by_tier=[TierCount(label, tiers[label]) for label in order if tiers.get(label)],
        started=sum(1 for row in rows if row.started),
        unassigned_in_review=selectors.unassigned_in_review_count(person),
    )
