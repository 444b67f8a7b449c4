"""The 404 and 500 pages in Chromium, in English and French, at a phone's, a tablet's and
a desktop's width: the site's layout, the heading that says what happened, and no serious
accessibility problem for axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeCheck
from tests.web.broken_urls import ADDRESSES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "fr"]
ADDRESS = {404: "nothing-here/", 500: ADDRESSES[500]}
HEADINGS = {
    404: {"en": "We cannot find that page", "fr": "Nous ne trouvons pas cette page"},
    500: {"en": "Something went wrong on our side", "fr": "Un problème est survenu de notre côté"},
}


@pytest.fixture(autouse=True)
def _debug_off_with_a_failing_page(settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = "tests.web.broken_urls"  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", [404, 500])
def test_the_error_page_has_no_serious_accessibility_problem_at_any_width(
    page: Page, axe: AxeCheck, status: int, language: str
) -> None:
    response = page.goto(f"/{language}/{ADDRESS[status]}")

    assert response is not None
    assert response.status == status
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[status][language])
    expect(page.get_by_role("banner").first).to_be_visible()
    axe(page)  # at a phone's, a tablet's and a desktop's width
