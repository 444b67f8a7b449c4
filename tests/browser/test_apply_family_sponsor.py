"""A sponsor applies to sponsor their spouse in Chromium, in English and in French: the
sponsor's questions, the person sponsored and their two dependent children (the second
added with "Add another child", one removed and added again), check, submit and
confirmation; the case is triaged with the sponsor's facts and the children are kept
for the officer. axe-core on every page."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.apply import (
    answer_up_to,
    apply_and_triage,
    prepare_applicant,
    sign_in_from_the_programs,
)
from tests.browser.conftest import AxeCheck
from tests.browser.support import wait_for_design_system
from tests.intake.flows.answers import answers_for
from tests.intake.journeys import (
    ADD,
    CONTINUE,
    PROBLEM,
    answer_page,
    check_answers_segment,
    current_page_id,
    remove_person,
    start_application,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILDREN = [
    {
        "given_name": "Léa",
        "family_name": "Quincampoix",
        "date_of_birth": "2015-05-03",
        "relationship": "biological",
    },
    {
        "given_name": "Tom",
        "family_name": "Quincampoix",
        "date_of_birth": "2019-10-21",
        "relationship": "adopted",
    },
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_sponsor_applies_for_their_spouse_and_the_file_is_triaged(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    prepare_applicant(settings, username="nino")
    answers = answers_for(
        "family-sponsor",
        preferred_language=language,
        has_dependent_children=True,
        dependent_children=CHILDREN,
    )

    def check(current: Page) -> None:
        axe(current)
        if current_page_id(current) == check_answers_segment(language):
            expect(current.locator("main")).to_contain_text("Léa Quincampoix")
            expect(current.locator("main")).to_contain_text("Tom Quincampoix")

    assessed, stored = apply_and_triage(
        page, check, program="family-sponsor", language=language, answers=answers, username="nino"
    )

    assert assessed["outcome"] == "eligible_auto"
    assert stored["sponsor_date_of_birth"] == "1988-11-02"
    assert stored["became_pr_as_sponsored_spouse_on"] is None
    assert stored["dependent_children"] == CHILDREN


def test_a_child_is_removed_and_a_mistake_in_a_row_is_explained(
    page: Page, axe: AxeCheck, settings: object
) -> None:
    prepare_applicant(settings, username="nino")
    answers = answers_for(
        "family-sponsor", has_dependent_children=True, dependent_children=CHILDREN
    )
    sign_in_from_the_programs(page, language="en", username="nino")
    start_application(page, program="family-sponsor", language="en")
    answer_up_to(page, program="family-sponsor", answers=answers, page_id="children", check=axe)

    answer_page(page, "family-sponsor", answers)
    remove_person(page, "dependent_children", 0)
    axe(page)
    expect(page.locator("#dependent_children-0-given_name")).to_have_value("Tom")
    expect(page.get_by_text("Léa Quincampoix was removed from the list.")).to_be_visible()

    page.locator(ADD).click()
    family_name = page.locator("#dependent_children-1-family_name")
    expect(family_name).to_be_visible()
    # The header redraws as the new page loads; typing during that can lose the text.
    wait_for_design_system(page)
    family_name.fill("Quincampoix")
    expect(family_name).to_have_value("Quincampoix")
    page.locator(CONTINUE).click()
    axe(page)
    expect(page.get_by_role("alert")).to_contain_text(PROBLEM["en"])
    summary_link = page.get_by_role("link", name="Child 2: enter their given names")
    summary_link.click()
    expect(page.locator("#dependent_children-1-given_name")).to_be_focused()
