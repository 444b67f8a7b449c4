"""Which conversations a person may read: staff every one on the cases they may see; a
client those on their side of a case they are an active party to (the applicant's side,
or the sponsor's), so that a sponsor never reads the sponsored person's conversations."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from passage.accounts.models import User
from passage.cases.models import CaseParty
from passage.cases.selectors import cases_visible_to
from passage.cases.status import PartyRole
from passage.conversations.models import Thread

# The party rows that put a person on each side of a case.
_SIDES = {
    PartyRole.APPLICANT: Q(role=PartyRole.APPLICANT)
    | Q(role=PartyRole.REPRESENTATIVE, acts_for__in=["", PartyRole.APPLICANT]),
    PartyRole.SPONSOR: Q(role=PartyRole.SPONSOR)
    | Q(role=PartyRole.REPRESENTATIVE, acts_for=PartyRole.SPONSOR),
}


def visible_threads(person: User) -> QuerySet[Thread]:
    """The conversations the person may read and write in."""
    threads = Thread.objects.filter(case__in=cases_visible_to(person))
    if person.is_department_staff or not person.is_active:
        return threads
    on_side = Q()
    for side, rows in _SIDES.items():
        party = CaseParty.objects.filter(
            rows, case=OuterRef("case"), person=person, revoked_at__isnull=True
        )
        on_side |= Q(Exists(party), audience=side.value)
    return threads.filter(on_side)
