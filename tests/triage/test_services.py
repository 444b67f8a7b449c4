"""Triage on submission and re-triage: what officers and the log see afterwards."""

import shutil
from pathlib import Path

import pytest

from passage.cases import services as cases
from passage.cases.models import Case
from passage.cases.status import ActorRole, CaseStatus, EventKind, Step, StepState
from passage.triage.services import retriage_open_cases, triage_case
from tests.builders import (
    create_officer,
    find_not_eligible,
    give_to,
    iec_answers,
    run_queued_tasks,
    submit_case,
)

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"


def assessment_of(case: Case) -> dict:
    event = case.events.filter(kind=EventKind.TRIAGE_ASSESSED).order_by("-sequence").first()
    assert event is not None
    return event.payload


def test_a_routine_file_is_triaged_by_the_worker_and_its_eligibility_completed_by_passage(
    settings,
):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    case = submit_case(answers=iec_answers())

    run_queued_tasks()

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.tier == 1
    assert case.eligibility == StepState.COMPLETED
    assessment = assessment_of(case)
    assert assessment["outcome"] == "eligible_auto"
    assert assessment["ruleset"].startswith("iec@")
    assert {c["result"] for c in assessment["criteria"]} == {"pass"}
    step = case.events.get(kind=EventKind.STEP_RECORDED)
    assert step.actor_role == ActorRole.SYSTEM
    assert step.ruleset_version == assessment["ruleset"]
    assert step.payload["eligible"] is True


def test_a_failed_criterion_makes_tier_3_and_eligibility_waits_for_an_officer():
    case = submit_case(answers=iec_answers(funds_cad=1200))

    case = triage_case(case_id=case.public_id)

    assert case.status == CaseStatus.IN_REVIEW
    assert case.tier == 3
    assert case.eligibility == StepState.NOT_STARTED
    funds = next(c for c in assessment_of(case)["criteria"] if c["id"] == "minimum-funds")
    assert funds["result"] == "fail"
    assert "1200" in funds["detail"]
    assert funds["citation"]


def test_a_missing_answer_is_unknown_and_makes_tier_2_never_a_refusal():
    answers = iec_answers()
    del answers["insurance_until"]
    case = submit_case(answers=answers)

    case = triage_case(case_id=case.public_id)

    assert case.tier == 2
    assert assessment_of(case)["outcome"] == "needs_officer"
    assert not case.events.filter(kind=EventKind.REFUSED).exists()


def test_an_answer_of_the_wrong_type_sends_the_file_to_an_officer_with_the_error():
    case = submit_case(answers=iec_answers(funds_cad="plenty"))

    case = triage_case(case_id=case.public_id)

    assert case.tier == 3
    assert "funds_cad" in assessment_of(case)["error"]


def test_running_triage_twice_records_everything_once():
    case = submit_case(answers=iec_answers())

    triage_case(case_id=case.public_id)
    triage_case(case_id=case.public_id)

    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.TRIAGE_ASSESSED) == 1
    assert kinds.count(EventKind.REVIEW_STARTED) == 1


def test_a_sampled_routine_file_goes_to_blind_review_with_eligibility_left_to_the_officer(
    settings,
):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    case = submit_case(answers=iec_answers())

    case = triage_case(case_id=case.public_id)

    assert case.tier == 1
    assert case.blind_review
    assert case.eligibility == StepState.NOT_STARTED


def test_a_blind_review_records_whether_the_officer_agreed_with_the_rules(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 1
    officer = create_officer()
    case = give_to(triage_case(case_id=submit_case(answers=iec_answers()).public_id), officer)

    result = cases.record_quality_review(
        case_id=case.public_id,
        actor=officer,
        eligible=False,
        reasons="Funds statement looks altered.",
        idempotency_key="qr-1",
    )

    assert result.event.payload["automated_outcome"] == "eligible_auto"
    assert result.event.payload["agreed"] is False
    assert not result.case.blind_review
    assert result.case.eligibility == StepState.COMPLETED
    assert cases.eligibility_finding(result.case) is False


@pytest.fixture
def stricter_iec_rules(settings, tmp_path):
    """A copy of the programs where IEC's minimum funds rise to 5,000 from a new version."""
    folder = tmp_path / "programs"
    shutil.copytree(PROGRAMS, folder)
    rules = folder / "iec" / "rules.yaml"
    text = rules.read_text()
    text = text.replace("effective: 2025-01-01", "effective: 2026-01-01", 1)
    raised = "      2025-01-01: 2500\n      2026-01-01: 5000\n"
    text = text.replace("      2025-01-01: 2500\n", raised)
    rules.write_text(text)
    return folder


def test_retriage_records_new_assessments_and_leaves_officer_work_intact(
    settings, stricter_iec_rules
):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    officer = create_officer()
    routine = triage_case(case_id=submit_case(answers=iec_answers(funds_cad=3000)).public_id)
    worked = triage_case(case_id=submit_case(answers=iec_answers(funds_cad=1200)).public_id)
    give_to(worked, officer)
    cases.record_step(
        case_id=worked.public_id,
        actor=officer,
        step=Step.BACKGROUND,
        state=StepState.COMPLETED,
        idempotency_key="bg",
    )
    find_not_eligible(worked, officer, "Funds too low.")
    settings.PASSAGE_PROGRAMS_DIR = str(stricter_iec_rules)

    report = retriage_open_cases(program="iec")

    assert report.assessed == 2
    assert (routine.reference, "eligible_auto", "needs_officer") in report.changed
    worked.refresh_from_db()
    assert worked.eligibility == StepState.COMPLETED
    assert worked.background == StepState.COMPLETED
    assert cases.eligibility_finding(worked) is False
    assert assessment_of(worked)["ruleset"] == "iec@2026-01-01"
    # A second run finds nothing new to record.
    assert retriage_open_cases(program="iec").assessed == 0
