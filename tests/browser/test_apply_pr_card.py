"""A permanent resident renews their card in Chromium, in English and in French: trips
abroad as rows of dates, a period entered backwards and explained, save and sign out,
resume, check, submit, confirmation; the residency obligation is then counted from the
trips. One journey runs with JavaScript off. axe-core checks every page it can."""

import re

import pytest
from playwright.sync_api import Page, expect

from passage.cases.models import Case
from passage.intake.catalogue import load_programs
from tests.browser.apply import (
    answer_up_to,
    prepare_applicant,
    sign_in_from_the_programs,
    triage_assessment,
)
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD
from tests.builders import create_user
from tests.intake.flows.answers import answers_for
from tests.intake.journeys import (
    ADD,
    CONTINUE,
    answer_page,
    check_answers_segment,
    declare_and_submit,
    documents_segment,
    sign_out_and_resume,
    start_application,
    upload_required_documents,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "program": "Permanent resident card renewal",
        "trips": "Your trips outside Canada",
        "problem": "There was a problem",
        "backwards": "Period 1",
        "period_2": "Period 2",
        "trip_shown": "1 July 2023",
    },
    "fr": {
        "program": "Renouvellement de la carte de résident permanent",
        "trips": "Vos voyages à l\u2019extérieur du Canada",
        "problem": "Un problème est survenu",
        "backwards": "1",
        "period_2": "2",
        "trip_shown": "1er juillet 2023",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_permanent_resident_lists_trips_abroad_resumes_and_submits(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    prepare_applicant(settings, username="marc")
    words = WORDS[language]
    answers = answers_for("pr-card", preferred_language=language)

    sign_in_from_the_programs(page, language=language, username="marc")
    expect(page.get_by_role("main")).to_contain_text(words["program"])
    draft = start_application(page, program="pr-card", language=language)
    answer_up_to(page, program="pr-card", answers=answers, page_id="absences", check=axe)

    # A trip entered backwards is explained with its row.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["trips"])
    for part, value in (("day", "15"), ("month", "8"), ("year", "2023")):
        page.locator(f"#absences-0-from-{part}").fill(value)
    for part, value in (("day", "1"), ("month", "7"), ("year", "2023")):
        page.locator(f"#absences-0-to-{part}").fill(value)
    page.locator(CONTINUE).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["problem"])
    expect(summary).to_contain_text(words["backwards"])
    axe(page)

    # The first trip put right and a second row added; then save and sign out.
    answer_page(page, "pr-card", {"absences": answers["absences"][:1]})
    page.locator(ADD).click()
    expect(page.locator("#absences-1")).to_contain_text(words["period_2"])
    axe(page)
    sign_out_and_resume(page, draft=draft, language=language, username="marc", password=PASSWORD)

    # The saved trip is there; add the second and go on to check the answers.
    expect(page.locator("#absences-0-from-year")).to_have_value("2023")
    for index, period in enumerate(answers["absences"][1:], start=1):
        for end in ("from", "to"):
            year, month, day = period[end].split("-")
            page.locator(f"#absences-{index}-{end}-day").fill(str(int(day)))
            page.locator(f"#absences-{index}-{end}-month").fill(str(int(month)))
            page.locator(f"#absences-{index}-{end}-year").fill(year)
    page.locator(CONTINUE).click()
    page.wait_for_url(re.compile(re.escape(documents_segment(language)) + "/$"))
    axe(page)
    upload_required_documents(page, "pr-card")
    page.locator(CONTINUE).click()
    segment = check_answers_segment(language)
    page.wait_for_url(re.compile(re.escape(segment) + "/$"))
    expect(page.get_by_role("main")).to_contain_text(words["trip_shown"])
    axe(page)

    declare_and_submit(page)
    case = Case.objects.get()
    expect(page.locator(".gc-reference")).to_have_text(case.reference)
    axe(page)

    assessed = triage_assessment(case)
    assert assessed["outcome"] == "eligible_auto"
    assert case.application.answers.get().answers["absences"] == answers["absences"]


def test_a_permanent_resident_applies_with_javascript_off(
    new_page: NewPage, live_server: object
) -> None:
    load_programs()
    create_user(username="marc", password=PASSWORD)
    answers = answers_for("pr-card", preferred_language="en")
    page = new_page(javascript=False)

    sign_in_from_the_programs(page, language="en", username="marc")
    start_application(page, program="pr-card", language="en")
    segment = check_answers_segment("en")
    answer_up_to(page, program="pr-card", answers=answers, page_id=segment, check=lambda _: None)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before you submit"
    )

    # Without the declaration, the error is shown; with it, the application goes in.
    page.locator("main form button[type='submit']").last.click()
    expect(page.get_by_role("alert")).to_contain_text("Confirm the declaration")
    declare_and_submit(page)

    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application submitted")
    expect(page.locator(".gc-reference")).to_have_text(case.reference)
