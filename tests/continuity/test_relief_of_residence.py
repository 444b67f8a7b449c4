"""Relief by rule, applied to the confirmations of permanent residence still in the
client's hands: an outage of sign-in or uploads on the last day moves the date they have
until, an event on the case; a correction of the register gives the date back."""

import uuid
from datetime import date

import pytest

from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.continuity import services as register
from passage.continuity.relief import recompute_relief
from passage.residence.models import Confirmation
from tests.continuity.builders import TORONTO, at, incident
from tests.residence.builders import approved_sponsorship, ready_for_review
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


def invited_due_on(day: date) -> Confirmation:
    """A confirmation whose 180 days end on `day` (the invitation's due date set there)."""
    approved_sponsorship()
    confirmation = Confirmation.objects.get()
    due = at(day, 23, 59).replace(second=59)
    Confirmation.objects.filter(pk=confirmation.pk).update(set_due_at=due, due_at=due)
    return Confirmation.objects.get(pk=confirmation.pk)


def test_an_outage_on_the_last_day_moves_the_date_and_says_so_on_the_case():
    confirmation = invited_due_on(date(2027, 3, 3))
    outage = incident(at(date(2027, 3, 3), 10), at(date(2027, 3, 3), 12), "sign-in")

    recompute_relief(now=at(date(2027, 3, 3), 13))

    confirmation.refresh_from_db()
    assert confirmation.due_at.astimezone(TORONTO).date() == date(2027, 3, 4)
    assert confirmation.set_due_at.astimezone(TORONTO).date() == date(2027, 3, 3)
    assert confirmation.relief_outages == [outage.reference]
    (event,) = CaseEvent.objects.filter(case=confirmation.case, kind=EventKind.RESIDENCE_DUE_MOVED)
    assert event.payload["outages"] == [outage.reference]


def test_recomputing_again_changes_nothing_and_a_withdrawn_record_gives_the_date_back():
    confirmation = invited_due_on(date(2027, 3, 3))
    outage = incident(at(date(2027, 3, 3), 10), at(date(2027, 3, 3), 12), "uploads")
    recompute_relief(now=at(date(2027, 3, 3), 13))
    recompute_relief(now=at(date(2027, 3, 3), 14))
    assert CaseEvent.objects.filter(kind=EventKind.RESIDENCE_DUE_MOVED).count() == 1

    register.withdraw_outage(
        actor=create_supervisor(),
        reference=outage.reference,
        reason="Recorded on the wrong day.",
        idempotency_key=uuid.uuid4().hex,
        now=at(date(2027, 3, 3), 15),
    )
    recompute_relief(now=at(date(2027, 3, 3), 16))

    confirmation.refresh_from_db()
    assert confirmation.due_at == confirmation.set_due_at
    assert confirmation.relief_outages == []
    assert CaseEvent.objects.filter(kind=EventKind.RESIDENCE_DUE_MOVED).count() == 2


def test_an_outage_of_a_part_the_confirmation_does_not_need_moves_nothing():
    confirmation = invited_due_on(date(2027, 3, 3))
    incident(at(date(2027, 3, 3), 10), at(date(2027, 3, 3), 12), "payments")

    recompute_relief(now=at(date(2027, 3, 3), 13))

    confirmation.refresh_from_db()
    assert confirmation.due_at == confirmation.set_due_at


def test_a_confirmation_sent_for_review_is_not_moved():
    _, confirmation = ready_for_review()
    due = at(date(2027, 3, 3), 23, 59)
    Confirmation.objects.filter(pk=confirmation.pk).update(set_due_at=due, due_at=due)
    incident(at(date(2027, 3, 3), 10), at(date(2027, 3, 3), 12), "sign-in")

    recompute_relief(now=at(date(2027, 3, 3), 13))

    assert Confirmation.objects.get(pk=confirmation.pk).due_at == due
