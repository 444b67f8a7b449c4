import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, sign_in
from tests.builders import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_with_the_right_password_lands_on_the_home_page_signed_in(
    page: Page, live_server: object
) -> None:
    create_user(username="amelie", first_name="Amélie", password=PASSWORD)
    page.goto("/en/")

    page.get_by_role("link", name="Sign in").click()
    sign_in(page, language="en", username="amelie", password=PASSWORD)

    expect(page).to_have_url(f"{live_server}/en/")
    expect(page.get_by_role("main")).to_contain_text("Hello, Amélie.")
    expect(page.get_by_role("navigation", name="Your account")).to_contain_text(
        "Signed in as Amélie"
    )


@pytest.mark.parametrize(
    ("language", "title", "summary", "message"),
    [
        ("en", "Error: Sign in", "There was a problem", "The username or password is incorrect."),
        (
            "fr",
            "Erreur\u00a0: Se connecter",
            "Un problème est survenu",
            "Le nom d\u2019utilisateur ou le mot de passe est incorrect.",
        ),
    ],
)
def test_a_wrong_password_shows_the_error_summary_in_the_page_language(
    page: Page, axe: AxeCheck, language: str, title: str, summary: str, message: str
) -> None:
    create_user(username="amelie", password=PASSWORD)
    page.goto(SIGN_IN[language]["path"])

    sign_in(page, language=language, username="amelie", password="not the password")

    expect(page).to_have_title(re.compile(f"^{title}"))
    error_summary = page.locator(".gc-error-summary")
    expect(error_summary).to_be_focused()
    expect(error_summary.get_by_role("heading", level=2)).to_have_text(summary)
    expect(error_summary.get_by_role("link")).to_contain_text(message)
    axe(page)

    error_summary.get_by_role("link").click()

    expect(page.get_by_label(SIGN_IN[language]["username"])).to_be_focused()


def test_signing_out_from_the_header_ends_the_session(page: Page, live_server: object) -> None:
    create_user(username="amelie", password=PASSWORD)
    page.goto("/fr/connexion/")
    sign_in(page, language="fr", username="amelie", password=PASSWORD)

    page.get_by_role("navigation", name="Votre compte").get_by_role(
        "button", name="Se déconnecter"
    ).click()

    expect(page).to_have_url(f"{live_server}/fr/")
    expect(page.get_by_role("status")).to_have_text("Votre session est fermée.")
    page.reload()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("navigation", name="Votre compte")).to_have_count(0)


def test_sign_out_page_signs_out_after_confirmation(
    page: Page, axe: AxeCheck, live_server: object
) -> None:
    create_user(username="amelie", password=PASSWORD)
    page.goto("/en/sign-in/")
    sign_in(page, language="en", username="amelie", password=PASSWORD)

    page.goto("/en/sign-out/")
    axe(page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(f"{live_server}/en/")
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
