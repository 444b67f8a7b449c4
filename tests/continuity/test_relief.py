"""Relief by rule, applied to the document requests of open cases: every change to the
outage register moves the due dates it touches, once, tells the clients, and a
correction gives back what it should."""

import uuid
from datetime import date

import pytest

from passage.cases.models import CaseEvent, DocumentRequest
from passage.continuity import services as register
from passage.continuity.relief import recompute_relief
from passage.outbox.models import OutboxMessage
from tests.builders import run_queued_tasks
from tests.continuity.builders import DUE, answer, asked, at, incident
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


def moves_of(request: DocumentRequest) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=request.case, kind="deadline.moved"))


def test_an_outage_on_the_due_day_moves_the_date_to_the_next_full_business_day():
    request = asked()
    outage = incident(at(DUE, 10), at(DUE, 12))

    report = recompute_relief(now=at(DUE, 13))

    request.refresh_from_db()
    assert request.due_on == date(2027, 3, 4)
    assert request.set_due_on == DUE
    assert request.relief_outages == [outage.reference]
    assert report.moved == 1
    (event,) = moves_of(request)
    assert event.payload["from"] == "2027-03-03"
    assert event.payload["to"] == "2027-03-04"
    assert event.payload["outages"] == [outage.reference]


def test_the_clients_get_a_link_only_email_in_their_language():
    request = asked()
    incident(at(DUE, 10), at(DUE, 12))

    recompute_relief(now=at(DUE, 13))

    (email,) = OutboxMessage.objects.filter(kind="deadline.moved")
    assert email.to_email == request.case.application.applicant.email
    assert "OUT-" not in str(email.context)
    assert "2027" not in str(email.context)
    assert set(email.context) == {"link", "program", "reference_end"}


def test_recomputing_again_changes_nothing():
    request = asked()
    incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))

    again = recompute_relief(now=at(DUE, 14))

    assert again.moved == 0
    assert again.flagged == 0
    assert len(moves_of(request)) == 1
    assert OutboxMessage.objects.filter(kind="deadline.moved").count() == 1


def test_withdrawing_the_record_gives_the_set_date_back_and_keeps_the_trail():
    request = asked()
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))

    register.withdraw_outage(
        actor=create_supervisor(),
        reference=outage.reference,
        reason="Recorded on the wrong day.",
        idempotency_key=uuid.uuid4().hex,
        now=at(DUE, 15),
    )
    recompute_relief(now=at(DUE, 15))

    request.refresh_from_db()
    assert request.due_on == DUE
    assert request.relief_outages == []
    _first, back = moves_of(request)
    assert (back.payload["from"], back.payload["to"]) == ("2027-03-04", "2027-03-03")


def test_an_outage_of_a_part_the_request_does_not_need_moves_nothing():
    request = asked()
    incident(at(DUE, 10), at(DUE, 12), "email", "payments")

    recompute_relief(now=at(DUE, 13))

    request.refresh_from_db()
    assert request.due_on == DUE
    assert moves_of(request) == []


def test_an_incident_shorter_than_the_threshold_moves_nothing():
    request = asked()
    incident(at(DUE, 10), at(DUE, 10, 20))

    recompute_relief(now=at(DUE, 13))

    request.refresh_from_db()
    assert request.due_on == DUE


def test_a_statutory_limit_is_flagged_to_the_officer_and_never_moved():
    request = asked(statutory=True)
    outage = incident(at(DUE, 10), at(DUE, 12))

    recompute_relief(now=at(DUE, 13))

    request.refresh_from_db()
    assert request.due_on == DUE
    assert request.relief_flagged is True
    assert request.relief_outages == [outage.reference]
    (flag,) = CaseEvent.objects.filter(case=request.case, kind="deadline.flagged")
    assert flag.payload["outages"] == [outage.reference]
    assert not OutboxMessage.objects.filter(kind="deadline.moved").exists()


def test_an_answered_request_keeps_its_date_whatever_the_register_says_later():
    request = asked()
    answer(request, at(DUE, 9))
    incident(at(DUE, 10), at(DUE, 12))

    recompute_relief(now=at(DUE, 13))

    request.refresh_from_db()
    assert request.due_on == DUE
    assert moves_of(request) == []


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_register_queues_the_relief_of_that_outage():
    request = asked()
    incident(at(DUE, 10), at(DUE, 12))

    run_queued_tasks()

    request.refresh_from_db()
    assert request.due_on == date(2027, 3, 4)


def test_back_to_back_outages_move_the_date_past_both():
    request = asked()
    first = incident(at(DUE, 10), at(DUE, 18))
    second = incident(at(date(2027, 3, 4), 9), at(date(2027, 3, 4), 11))

    recompute_relief(now=at(date(2027, 3, 4), 12))

    request.refresh_from_db()
    assert request.due_on == date(2027, 3, 5)
    assert request.relief_outages == sorted([first.reference])
    assert second.reference not in request.relief_outages


def test_the_relief_of_one_outage_leaves_what_another_moved_as_it_is():
    first_request = asked()
    first = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))
    later_day = date(2027, 3, 10)
    second_request = asked(due_on=later_day)
    second = incident(at(later_day, 10), at(later_day, 12), now=at(later_day, 13))

    report = recompute_relief(now=at(later_day, 13), reference=second.reference)

    assert report.examined == 1
    first_request.refresh_from_db()
    second_request.refresh_from_db()
    assert first_request.relief_outages == [first.reference]
    assert second_request.relief_outages == [second.reference]
    assert second_request.due_on == date(2027, 3, 11)
