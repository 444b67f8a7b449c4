"""Reads of decision letters, scoped by the person asking: the letters of the cases they
may see (`cases.selectors.cases_visible_to`), and no others."""

from uuid import UUID

from django.db.models import QuerySet

from passage.accounts.models import User
from passage.cases.selectors import cases_visible_to
from passage.letters.models import DecisionLetter


def letters_of_case(*, person: User, case_id: UUID) -> list[DecisionLetter]:
    """The decision letters of a case the person may see, oldest first; none otherwise."""
    return list(_visible(person).filter(case__public_id=case_id))


def letter_for(*, person: User, case_id: UUID, letter_id: UUID) -> DecisionLetter:
    """One letter of a case the person may see, or DecisionLetter.DoesNotExist."""
    return _visible(person).get(case__public_id=case_id, public_id=letter_id)


def _visible(person: User) -> QuerySet[DecisionLetter]:
    return DecisionLetter.objects.filter(case__in=cases_visible_to(person)).select_related("case")
