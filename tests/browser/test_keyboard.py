import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.support import wait_for_design_system

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_first_tab_offers_to_skip_to_the_main_content(new_page: NewPage, javascript: bool) -> None:
    page = new_page(javascript=javascript)
    page.goto("/fr/")
    skip_link = page.get_by_role("link", name="Passer au contenu principal")
    if javascript:
        wait_for_design_system(page)
        # The components load their parts and fonts lazily; a Tab pressed while one of
        # them still redraws the header can land on a link that is then replaced.
        page.wait_for_load_state("networkidle")
    expect(skip_link).to_be_attached()

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
