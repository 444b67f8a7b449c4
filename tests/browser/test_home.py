import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import wait_for_design_system

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_page_has_no_serious_accessibility_problem(
    page: Page, axe: AxeCheck, language: str
) -> None:
    page.goto(f"/{language}/")

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passage")
    axe(page)


def test_home_page_is_accessible_when_the_design_system_script_does_not_load(
    new_page: NewPage, axe: AxeCheck
) -> None:
    page = new_page(block=("gcds.esm.js",))

    page.goto("/fr/")

    expect(page.get_by_role("banner").get_by_role("link", name="English")).to_be_visible()
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Avis")).to_be_visible()
    axe(page, design_system=False)


@pytest.mark.parametrize(
    ("english", "french"), [("/en/", "/fr/"), ("/en/sign-in/", "/fr/connexion/")]
)
def test_language_toggle_leads_to_the_same_page_in_the_other_language_and_back(
    page: Page, live_server: object, english: str, french: str
) -> None:
    page.goto(english)
    wait_for_design_system(page)

    page.get_by_role("link", name="Français").click()

    expect(page).to_have_url(f"{live_server}{french}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    wait_for_design_system(page)

    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(f"{live_server}{english}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
