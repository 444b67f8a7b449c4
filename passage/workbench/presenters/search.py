"""The workbench's search page: the files within the person's reach that match what they
typed (a reference or its last digits, a date of birth, or the applicant's name)."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.utils.translation import get_language

from passage.accounts.models import User
from passage.cases.status import CaseStatus
from passage.workbench import selectors
from passage.workbench.presenters.common import officer_name
from passage.workbench.search import MIN_LAST_DIGITS, parse_search


@dataclass(frozen=True)
class SearchRow:
    """One file found, as the results table shows it."""

    case_id: UUID
    reference: str
    applicant: str
    program: str
    status_label: str
    assigned_to: str
    received_at: datetime


@dataclass(frozen=True)
class SearchResults:
    """What the search page shows: what was typed, whether it could be searched, and the
    files found."""

    text: str
    rows: list[SearchRow] = field(default_factory=list)
    too_short: bool = False
    min_last_digits: int = MIN_LAST_DIGITS

    @property
    def searched(self) -> bool:
        return bool(self.text) and not self.too_short


def search_results(*, person: User, text: str) -> SearchResults:
    """The files within the person's reach that `text` finds, most recently received
    first (nothing for an empty search)."""
    query = parse_search(text)
    if query.empty or query.too_short:
        return SearchResults(text=query.text, too_short=query.too_short)
    language = get_language() or "en"
    return SearchResults(
        text=query.text,
        rows=[
            SearchRow(
                case_id=case.public_id,
                reference=case.reference,
                applicant=f"{case.application.given_name} {case.application.family_name}",
                program=case.program.name(language),
                status_label=str(CaseStatus(case.status).label),
                assigned_to=officer_name(case.assigned_to),
                received_at=case.received_at,
            )
            for case in selectors.search_files(person=person, query=query)
        ],
    )
