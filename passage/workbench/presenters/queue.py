"""The officer's queue page: their open files with tier, age and due date, counts by
tier, and how many files in review wait for anyone."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.status import CaseStatus, Tier
from passage.workbench import selectors
from passage.workbench.presenters.common import StepStatus, age_days, due_on, steps, tier_label


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
    def total(self) -> int:
        return len(self.rows)


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
                category=case.category,
                tier=None if case.blind_review else case.tier,
                tier_label=label,
                blind_review=case.blind_review,
                status_label=str(CaseStatus(case.status).label),
                age_days=age_days(case.received_at, at),
                due_on=due,
                overdue=due < today,
                steps=steps(case),
                started=case.work_started_at is not None,
            )
        )
    order = [str(tier.label) for tier in Tier] + [_("Blind review"), _("Not triaged")]
    return Queue(
        rows=rows,
        by_tier=[TierCount(label, tiers[label]) for label in order if tiers.get(label)],
        started=sum(1 for row in rows if row.started),
        unassigned_in_review=selectors.unassigned_in_review_count(person),
    )
