"""A permanent resident applies for citizenship in Chromium, in English and in French,
with a presence history (time in Canada before permanent residence and a trip abroad),
check, submit and confirmation; the days are then counted by the rules from those
periods. The language and knowledge questions are asked from 18 to 54 on the day of
application: an applicant who turns 55 that day is not asked them and the rules pass
those criteria on their age. axe-core on every page."""

import datetime

import pytest
from playwright.sync_api import Page

from passage import clock
from passage.rules.dates import years_before
from tests.browser.apply import apply_and_triage, prepare_applicant
from tests.browser.conftest import AxeCheck
from tests.intake.flows.answers import answers_for
from tests.intake.journeys import current_page_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def born(years: int) -> str:
    return years_before(clock.now().date(), years).isoformat()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("age", "asked"), [(36, True), (55, False)])
def test_a_permanent_resident_applies_for_citizenship_with_a_presence_history(
    page: Page, axe: AxeCheck, settings: object, language: str, age: int, asked: bool
) -> None:
    prepare_applicant(settings, username="yasmin")
    trips = [{"from": "2022-06-01", "to": "2022-06-20"}]
    answers = answers_for(
        "citizenship",
        preferred_language=language,
        date_of_birth=born(age),
        travelled=True,
        absences=trips,
    )
    seen: list[str] = []

    def check(current: Page) -> None:
        seen.append(current_page_id(current))
        axe(current)

    assessed, stored = apply_and_triage(
        page, check, program="citizenship", language=language, answers=answers, username="yasmin"
    )

    assert assessed["outcome"] == "eligible_auto"
    assert stored["absences"] == trips
    assert stored["pre_pr_periods"] == answers["pre_pr_periods"]
    assert ("language-level" in seen) is asked
    assert ("knowledge" in seen) is asked
    if not asked:
        assert stored["language_clb"] is None
        assert stored["knowledge_test_passed"] is None
    assert datetime.date.fromisoformat(stored["signing_date"]) == clock.now().date()
