"""The case wording, worked out once per language, says what the labels say."""

from django.utils import translation

from passage.cases.status import STATUS_EXPLANATIONS, CaseStatus, EventKind, Step, StepState
from passage.cases.wording import case_wording


def test_the_wording_follows_the_active_language():
    with translation.override("fr"):
        french = case_wording()
        expected = {
            "status": str(CaseStatus.IN_REVIEW.label),
            "explanation": str(STATUS_EXPLANATIONS[CaseStatus.IN_REVIEW]),
            "step": str(Step.MEDICAL.label),
            "state": str(StepState.COMPLETED.label),
            "event": str(EventKind.SUBMITTED.label),
        }
    with translation.override("en"):
        english = case_wording()

    assert french.status["in_review"] == expected["status"] != english.status["in_review"]
    assert french.status_explanation["in_review"] == expected["explanation"]
    assert french.step["medical"] == expected["step"] != english.step["medical"]
    assert french.step_state["completed"] == expected["state"]
    assert french.event_kind["application.submitted"] == expected["event"]
    # French puts a no-break space before the colon.
    assert french.step_recorded % {"step": "a", "state": "b"} == "a\u00a0: b"
    assert english.step_recorded % {"step": "a", "state": "b"} == "a: b"


def test_every_status_step_state_and_event_has_its_words():
    words = case_wording()

    assert set(words.status) == set(CaseStatus.values)
    assert set(words.status_explanation) == set(CaseStatus.values)
    assert set(words.step) == set(Step.values)
    assert set(words.step_state) == set(StepState.values)
    assert set(words.event_kind) == set(EventKind.values)
