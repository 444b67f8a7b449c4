"""Core pages work with JavaScript off: the design system's components then draw nothing,
and the plain HTML inside them takes their place."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewPage
from tests.browser.support import PASSWORD, sign_in
from tests.builders import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_without_javascript_shows_its_heading_content_and_language_toggle(
    new_page: NewPage, live_server: object
) -> None:
    page = new_page(javascript=False)

    page.goto("/en/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Passage")
    expect(page.get_by_role("main")).to_contain_text("What you can do with Passage")
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="Government of Canada")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to main content")).to_have_attribute(
        "href", "#main-content"
    )
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Privacy")).to_be_visible()

    banner.get_by_role("link", name="Français").click()

    expect(page).to_have_url(f"{live_server}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("banner").get_by_role("link", name="English")).to_be_visible()


def test_sign_in_form_works_without_javascript(new_page: NewPage, live_server: object) -> None:
    create_user(username="amelie", first_name="Amélie", password=PASSWORD)
    page = new_page(javascript=False)
    page.goto("/fr/connexion/")

    sign_in(page, language="fr", username="amelie", password="not the password")

    expect(page.get_by_role("heading", name="Un problème est survenu")).to_be_visible()

    sign_in(page, language="fr", username="amelie", password=PASSWORD)

    expect(page).to_have_url(f"{live_server}/fr/")
    expect(page.get_by_role("main")).to_contain_text("Bonjour, Amélie.")

    page.get_by_role("button", name="Se déconnecter").click()

    expect(page.get_by_role("status")).to_have_text("Votre session est fermée.")
