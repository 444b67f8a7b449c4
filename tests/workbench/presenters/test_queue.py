"""The officer's queue page: their open files oldest first with age, due date and tier,
and the counts above them, for the person asking only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from passage.cases import services as cases
from passage.cases.status import Step, StepState
from passage.workbench.presenters.queue import officer_queue
from tests.builders import iec_answers
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
