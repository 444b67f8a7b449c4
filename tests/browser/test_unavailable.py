"""The database goes out of reach while an applicant fills in a form, in Chromium: the
answer sent meanwhile comes back as a page in both languages that says to wait and try
again, keeps the answer, and sends it again with one button once the database is back.
axe-core checks the page in English and in French."""

import pytest
from playwright.sync_api import Page, expect

from passage.intake.models import Draft
from tests.browser.apply import prepare_applicant, sign_in_from_the_programs
from tests.browser.conftest import AxeCheck
from tests.intake.journeys import CONTINUE, current_page_id, start_application
from tests.support.outage import database_down

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = {
    "en": "The service is briefly unavailable",
    "fr": "Le service est brièvement indisponible",
}
SEND_AGAIN = "Send again / Envoyer de nouveau"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_answer_sent_during_an_outage_is_kept_and_sent_again_with_one_button(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    prepare_applicant(settings, username="amelie")
    sign_in_from_the_programs(page, language=language, username="amelie")
    draft = start_application(page, program="iec", language=language)
    assert current_page_id(page) == "category"
    page.locator("#category-working-holiday").check()

    with database_down():
        page.locator(CONTINUE).click()

        expect(page.get_by_role("heading", level=1).first).to_have_text(HEADING[language])
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main")).to_contain_text(HEADING["fr" if language == "en" else "en"])
        axe(page, design_system=False)

    page.get_by_role("button", name=SEND_AGAIN).click()

    expect(page.locator(CONTINUE)).to_be_visible()
    assert current_page_id(page) != "category"
    draft.refresh_from_db()
    assert draft.answers["category"] == "working-holiday"
    assert Draft.objects.count() == 1
