"""Reads of client email for the department's staff: a team's correspondence queue, one
email with what belongs beside it, and the supervisors' figures. Only officers and
supervisors read client email; the case beside an email is shown only when it is within
the reader's reach."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet

from passage.accounts.models import User
from passage.calendar.business_days import BusinessCalendar
from passage.cases.models import Case, DocumentRequest
from passage.cases.selectors import cases_visible_to
from passage.correspondence.models import Category, EmailAction, InboundEmail
from passage.correspondence.services import EmailNotFound, handled_by
from passage.correspondence.teams import DEFAULT_TEAMS, team_for

CALENDAR = BusinessCalendar()
QUEUE_PAGE = 200


def _department_day(at: datetime) -> date:
    return at.astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)).date()


def business_days_old(received_at: datetime, now: datetime) -> int:
    """Business days since the day the email came in (0 on that day)."""
    return CALENDAR.business_days_between(
        _department_day(received_at), _department_day(now) + timedelta(days=1)
    )


def service_standard(category: str) -> int:
    """Business days within which an email of this category should be answered."""
    if category == Category.URGENT_TRAVEL:
        return settings.PASSAGE_MAIL_URGENT_STANDARD_DAYS
    return settings.PASSAGE_MAIL_SERVICE_STANDARD_DAYS


@dataclass(frozen=True)
class QueueRow:
    email: InboundEmail
    age: int
    standard: int

    @property
    def overdue(self) -> bool:
        return self.age > self.standard

    @property
    def urgent(self) -> bool:
        return self.email.final_category == Category.URGENT_TRAVEL


def teams() -> list[str]:
    """Every team email can go to, in a stable order."""
    configured = {team_for(category) for category in Category.values}
    return sorted(configured | set(DEFAULT_TEAMS.values()))


def _readable(person: User) -> QuerySet[InboundEmail]:
    return handled_by(person)


def queue(person: User, *, team: str, to_read_first: bool, now: datetime) -> list[QueueRow]:
    """A team's open emails, oldest first, each with its age against its standard;
    `to_read_first`: only those the classifier was not sure of."""
    emails = _readable(person).filter(state=InboundEmail.State.OPEN, team=team)
    if to_read_first:
        emails = emails.filter(route=InboundEmail.Route.PERSON, corrected_category="")
    rows = emails.select_related("case").order_by("received_at", "pk")[:QUEUE_PAGE]
    return [
        QueueRow(
            email, business_days_old(email.received_at, now), service_standard(email.final_category)
        )
        for email in rows
    ]


@dataclass(frozen=True)
class EmailView:
    email: InboundEmail
    case: Case | None
    open_requests: list[DocumentRequest]
    actions: list[EmailAction]
    age: int
    standard: int


def email_for(person: User, email_id: UUID, *, now: datetime) -> EmailView:
    """One email for the person, with its case when they may see it, the case's open
    document requests, and what was done with the email so far."""
    email = (
        _readable(person)
        .exclude(state=InboundEmail.State.RECEIVED)
        .select_related("case", "outage", "case__program")
        .filter(public_id=email_id)
        .first()
    )
    if email is None:
        raise EmailNotFound("No such email.")
    case = None
    if email.case_id is not None:
        case = cases_visible_to(person).select_related("program").filter(pk=email.case_id).first()
    requests = list(DocumentRequest.objects.filter(case=case).open()) if case else []
    return EmailView(
        email=email,
        case=case,
        open_requests=requests,
        actions=list(email.actions.select_related("actor")),
        age=business_days_old(email.received_at, now),
        standard=service_standard(email.final_category),
    )


@dataclass(frozen=True)
class Overview:
    days: int
    received: int
    volumes: list[tuple[str, int, int]]  # category, English, French
    routed_automatically: float
    corrected: int
    agreement: float | None
    ages: list[tuple[str, int, int, int]]  # team, open, oldest age, over the standard
    not_acknowledged: int


def overview(person: User, *, now: datetime, days: int = 30) -> Overview:
    """The last `days` days of client email: volumes per category and language, the share
    routed automatically, how often officers who reviewed an email kept the classifier's
    category, and each team's open queue."""
    recent = list(
        _readable(person)
        .filter(received_at__gte=now - timedelta(days=days))
        .exclude(state__in=(InboundEmail.State.RECEIVED, InboundEmail.State.AUTOMATED))
        .values("category", "language", "route", "corrected_category", "state", "acknowledged_at")
    )
    counts = Counter((row["category"], row["language"]) for row in recent)
    reviewed = [
        row
        for row in recent
        if row["corrected_category"] or row["state"] == InboundEmail.State.CLOSED
    ]
    kept = [row for row in reviewed if row["corrected_category"] in ("", row["category"])]
    ages: list[tuple[str, int, int, int]] = []
    open_emails = list(
        _readable(person)
        .filter(state=InboundEmail.State.OPEN)
        .values("team", "received_at", "category", "corrected_category")
    )
    for team in teams():
        mine = [row for row in open_emails if row["team"] == team]
        olds = [business_days_old(row["received_at"], now) for row in mine]
        over = sum(
            age > service_standard(row["corrected_category"] or row["category"])
            for age, row in zip(olds, mine, strict=True)
        )
        ages.append((team, len(mine), max(olds, default=0), over))
    return Overview(
        days=days,
        received=len(recent),
        volumes=[
            (category, counts[(category, "en")], counts[(category, "fr")])
            for category in Category.values
        ],
        routed_automatically=(
            sum(row["route"] == InboundEmail.Route.AUTO for row in recent) / len(recent)
        )
        if recent
        else 0.0,
        corrected=sum(bool(row["corrected_category"]) for row in reviewed),
        agreement=(len(kept) / len(reviewed)) if reviewed else None,
        ages=ages,
        not_acknowledged=sum(row["acknowledged_at"] is None for row in recent),
    )
