"""The applicant's contact details on the case page, as their account has them now, and
when each last changed since the file was received (their `details.changed` events)."""

from dataclasses import dataclass
from datetime import datetime

from passage.accounts.models import User
from passage.cases.models import Case, CaseEvent
from passage.cases.selectors import applicant_of
from passage.cases.status import EventKind


@dataclass(frozen=True)
class ContactDetail:
    """One contact detail: its value now, and when it last changed on this file (None:
    not since the file was received)."""

    value: str
    changed_at: datetime | None


@dataclass(frozen=True)
class ApplicantContact:
    """How the department reaches the applicant now."""

    email: ContactDetail
    phone: ContactDetail
    address: ContactDetail
    language: ContactDetail


def applicant_contact(case: Case, events: list[CaseEvent]) -> ApplicantContact | None:
    """The contact details of the applicant's account, or None when the applicant has no
    account; `events` are the file's, in order."""
    person = applicant_of(case)
    if person is None:
        return None
    changed = _last_changes(person, case, events)
    return ApplicantContact(
        email=ContactDetail(person.email, changed.get("email")),
        phone=ContactDetail(person.phone, changed.get("phone")),
        address=ContactDetail(person.mailing_address, changed.get("address")),
        language=ContactDetail(person.get_preferred_language_display(), changed.get("language")),
    )


def _last_changes(person: User, case: Case, events: list[CaseEvent]) -> dict[str, datetime]:
    """When the applicant last changed each detail since the file was received."""
    changed: dict[str, datetime] = {}
    for event in events:
        if (
            event.kind == EventKind.DETAILS_CHANGED
            and event.actor_id == person.pk
            and event.occurred_at >= case.received_at
        ):
            for field in event.payload.get("changes", {}):
                changed[field] = event.occurred_at
    return changed
