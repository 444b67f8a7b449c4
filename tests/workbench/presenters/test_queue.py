"""The officer's queue page: their open files oldest first with age, due date and tier,
and the counts above them, for the person asking only."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from passage.cases import services as cases
from passage.cases.status import Step, StepState
from passage.workbench.presenters.queue import (
    Queue,
    QueueRow,
    officer_queue,
    queue_choices,
    queue_table,
)
from passage.workbench.selectors import QueueFilters
from tests.builders import give_to, iec_answers
from tests.tracker.builders import case_page_url, client_of
from tests.workbench.builders import claimed_case, create_skilled_officer, ready_case

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)
DAY = timedelta(days=1)


def test_the_queue_lists_the_officers_open_files_oldest_first_with_age_and_due_date():
    officer = create_skilled_officer()
    old = claimed_case(officer, received=NOW - 50 * DAY, funds_cad=1200)
    new = claimed_case(officer, received=NOW - 2 * DAY)
    claimed_case(create_skilled_officer(), received=NOW - 70 * DAY)  # someone else's

    queue = officer_queue(person=officer, now=NOW)

    assert [row.reference for row in queue.rows] == [old.reference, new.reference]
    first = queue.rows[0]
    assert first.age_days == 50
    assert first.due_on == (NOW - 50 * DAY + 56 * DAY).date()
    assert not first.overdue
    assert first.tier == 3
    assert first.started
    assert (first.steps[0].step, first.steps[0].state) == (
        Step.ELIGIBILITY,
        StepState.NOT_STARTED,
    )


def test_a_file_past_its_service_standard_is_overdue():
    officer = create_skilled_officer()
    claimed_case(officer, received=NOW - 60 * DAY)

    (row,) = officer_queue(person=officer, now=NOW).rows

    assert row.overdue


def test_the_queue_counts_files_by_tier_and_the_files_waiting_for_anyone():
    officer = create_skilled_officer()
    claimed_case(officer, received=NOW, funds_cad=1200)
    claimed_case(officer, received=NOW, funds_cad=1100)
    claimed_case(officer, received=NOW)
    ready_case(answers=iec_answers(), now=NOW)  # nobody has it yet

    with translation.override("en"):
        queue = officer_queue(person=officer, now=NOW)

    assert [(tier.label, tier.count) for tier in queue.by_tier] == [
        ("Tier 1: routine", 1),
        ("Tier 3: full assessment", 2),
    ]
    assert queue.total == 3
    assert queue.started == 3
    assert queue.unassigned_in_review == 1


def test_a_decided_file_leaves_the_queue():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW)
    for step in (Step.BACKGROUND, Step.MEDICAL, Step.BIOMETRICS):
        cases.record_step(
            case_id=case.public_id,
            actor=officer,
            step=step,
            state=StepState.EXEMPTED,
            idempotency_key=f"exempt-{step}",
        )
    cases.record_decision(
        case_id=case.public_id, actor=officer, approve=True, idempotency_key="approve"
    )

    assert officer_queue(person=officer, now=NOW).rows == []


def test_a_blind_review_file_shows_in_the_queue_without_its_tier(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_skilled_officer()
    claimed_case(officer, received=NOW)

    with translation.override("en"):
        (row,) = officer_queue(person=officer, now=NOW).rows

    assert row.blind_review
    assert row.tier is None
    assert row.tier_label == "Blind review"


def test_a_client_has_no_queue_even_for_files_they_are_party_to():
    case = ready_case(answers=iec_answers(), now=NOW)

    queue = officer_queue(person=case.application.applicant, now=NOW)

    assert queue.rows == []
    assert queue.unassigned_in_review == 0


# --- Sorting and filtering the table --------------------------------------------------------


def asked_about(officer, *, days_ago: int = 120):
    """A file given to the officer, received long ago, whose client asked about it."""
    case = ready_case(now=NOW - days_ago * DAY)
    give_to(case, officer)
    client_of(case.application.applicant).post(
        case_page_url("inquiry", case), {"idempotency_key": uuid.uuid4().hex, "question": "?"}
    )
    return case


def row(reference: str, *, received: int, due: int, tier: int | None) -> QueueRow:
    """A row received `received` days before NOW, due `due` days after it."""
    return QueueRow(
        case_id=uuid.uuid4(),
        reference=reference,
        program="IEC",
        category="",
        tier=tier,
        tier_label="",
        blind_review=tier is None,
        status_label="",
        age_days=received,
        due_on=(NOW + due * DAY).date(),
        overdue=False,
        steps=[],
        started=False,
        program_code="iec",
    )


def queue_of(*rows: QueueRow) -> Queue:
    return Queue(rows=list(rows), by_tier=[], started=0, unassigned_in_review=0)


@pytest.mark.parametrize(
    ("sort", "order", "caption"),
    [
        ("oldest", ["A", "B", "C", "D"], "Your open files, oldest first"),
        ("due", ["C", "A", "D", "B"], "Your open files, by due date, soonest first"),
        (
            "tier",
            ["B", "C", "A", "D"],
            "Your open files, by tier from 1 to 3, then those without a tier shown",
        ),
        ("newest", ["D", "C", "B", "A"], "Your open files, newest first"),
    ],
)
def test_the_table_is_sorted_as_asked_and_its_caption_says_how(sort, order, caption):
    queue = queue_of(
        row("A", received=40, due=5, tier=3),
        row("B", received=30, due=20, tier=1),
        row("C", received=20, due=1, tier=2),
        row("D", received=10, due=5, tier=None),  # blind review: no tier shown
    )

    with translation.override("en"):
        table = queue_table(queue, person=create_skilled_officer(), sort=sort)

    assert [r.reference for r in table.rows] == order
    assert table.caption == caption


def test_unknown_filters_and_orders_are_ignored():
    filters, sort = queue_choices(
        {"tier": "7", "status": "approved", "sort": "random", "inquiries": "yes", "program": "x"}
    )

    assert filters == QueueFilters(program="x")
    assert sort == "oldest"
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW)
    table = queue_table(officer_queue(person=officer, now=NOW), person=officer, filters=filters)
    assert [r.case_id for r in table.rows] == [case.public_id]
    assert not table.filtered


def test_the_table_keeps_the_files_of_one_tier_and_never_a_blind_review_among_them(settings):
    officer = create_skilled_officer()
    routine = claimed_case(officer, received=NOW - 3 * DAY)
    assess = claimed_case(officer, received=NOW - 2 * DAY, funds_cad=1200)
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    blind = claimed_case(officer, received=NOW - DAY)
    queue = officer_queue(person=officer, now=NOW)

    def kept(tier: str) -> list:
        table = queue_table(queue, person=officer, filters=QueueFilters(tier=tier))
        return [r.case_id for r in table.rows]

    assert kept("1") == [routine.public_id]
    assert kept("3") == [assess.public_id]
    assert kept("blind") == [blind.public_id]
    assert queue.total == 3


def test_the_table_keeps_the_files_of_one_status_or_program():
    officer = create_skilled_officer()
    case = claimed_case(officer, received=NOW)
    queue = officer_queue(person=officer, now=NOW)

    in_review = queue_table(queue, person=officer, filters=QueueFilters(status="in_review"))
    received = queue_table(queue, person=officer, filters=QueueFilters(status="received"))
    iec = queue_table(queue, person=officer, filters=QueueFilters(program="iec"))

    assert [r.case_id for r in in_review.rows] == [case.public_id]
    assert received.rows == []
    assert [r.case_id for r in iec.rows] == [case.public_id]
    assert [(c.value, c.label) for c in iec.programs] == [("iec", queue.rows[0].program)]


def test_the_table_keeps_only_the_files_with_an_inquiry_when_asked():
    officer = create_skilled_officer()
    quiet = claimed_case(officer, received=NOW - 100 * DAY)
    asked = asked_about(officer)

    queue = officer_queue(person=officer)
    table = queue_table(queue, person=officer, filters=QueueFilters(inquiries_only=True))

    assert {r.case_id for r in queue.rows} == {quiet.public_id, asked.public_id}
    assert [r.case_id for r in table.rows] == [asked.public_id]
    assert table.rows[0].inquiry
