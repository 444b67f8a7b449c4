"""Processing-time estimates from the program's recently decided cases."""

from datetime import timedelta

import pytest

from passage import clock
from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.tracker.estimates import processing_estimate
from tests.builders import create_officer, create_program, submit_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_sample(settings):
    settings.PASSAGE_ESTIMATE_MINIMUM_CASES = 5
    settings.PASSAGE_ESTIMATE_WINDOW_DAYS = 180


def decided_case(days, *, status=CaseStatus.APPROVED, decided_days_ago=10, program="iec"):
    """A case of `program` that took `days` from receipt to `status`."""
    now = clock.now()
    case = submit_case(program_code=program)
    decided_at = now - timedelta(days=decided_days_ago)
    Case.objects.filter(pk=case.pk).update(
        status=status,
        received_at=decided_at - timedelta(days=days),
        decided_at=decided_at,
        status_changed_at=decided_at,
        decided_by=create_officer() if status == CaseStatus.REFUSED else None,
        decision_reasons="Funds below the minimum." if status == CaseStatus.REFUSED else "",
    )
    return case


def estimate(program="iec", now=None):
    found = create_program(program)
    return processing_estimate(
        program_id=found.pk, service_standard_days=56, now=now or clock.now()
    )


def test_the_median_and_80th_percentile_come_from_approved_and_refused_cases():
    for days in (10, 20, 30):
        decided_case(days)
    for days in (40, 50):
        decided_case(days, status=CaseStatus.REFUSED)

    found = estimate()

    assert found.sample_size == 5
    assert found.median_days == 30
    # 80th percentile, interpolated: 40 + 0.2 * (50 - 40).
    assert found.p80_days == 42
    assert found.window_days == 180
    assert found.service_standard_days == 56


def test_withdrawn_open_older_and_other_program_cases_are_ignored():
    for days in (10, 20, 30, 40, 50):
        decided_case(days)
    decided_case(1, status=CaseStatus.WITHDRAWN)
    decided_case(900, decided_days_ago=181)
    decided_case(900, program="pr-card")
    submit_case()

    found = estimate()

    assert (found.sample_size, found.median_days, found.p80_days) == (5, 30, 42)


def test_too_few_decisions_give_no_figures_and_fall_back_to_the_service_standard():
    for days in (10, 20, 30, 40):
        decided_case(days)

    found = estimate()

    assert (found.sample_size, found.median_days, found.p80_days) == (4, None, None)
    received = clock.now().date()
    assert found.inquiry_date(received) == received + timedelta(days=56)


def test_the_inquiry_date_is_the_receipt_plus_the_80th_percentile():
    for days in (10, 20, 30, 40, 50):
        decided_case(days)

    received = clock.now().date() - timedelta(days=3)

    assert estimate().inquiry_date(received) == received + timedelta(days=42)


def test_the_estimate_is_computed_once_a_day_per_program(django_assert_num_queries):
    for days in (10, 20, 30, 40, 50):
        decided_case(days)
    now = clock.now()
    first = estimate(now=now)
    decided_case(500)

    program = create_program("iec")
    with django_assert_num_queries(0):
        again = processing_estimate(program_id=program.pk, service_standard_days=56, now=now)

    assert again == first
    assert estimate(now=now + timedelta(days=1)).sample_size == 6
