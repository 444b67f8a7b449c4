"""Creating an account in a browser: sign up, confirm the address with the link from the
email (read from the outbox), then sign in, in English and in French, with axe-core on
every page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from passage.outbox.models import OutboxMessage
from tests.browser.conftest import AxeCheck
from tests.browser.support import sign_in
from tests.outbox.outbox import emailed_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "lantern orchard velvet quarry"
ACCOUNT_NAV = {"en": "Your account", "fr": "Votre compte"}


def sign_up_path(language: str) -> str:
    with translation.override(language):
        return reverse("accounts:sign-up")


def fill_sign_up(page: Page, *, email: str, language: str, password: str) -> None:
    # Fields by id: the same in both languages.
    page.locator("#id_role_0").check()  # applicant
    page.locator("#id_first_name").fill("Amélie")
    page.locator("#id_last_name").fill("Poulain")
    page.locator("#id_email").fill(email)
    page.locator(f"#id_preferred_language_{0 if language == 'en' else 1}").check()
    page.locator("#id_password").fill(password)
    page.locator("main form.gc-form button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_person_signs_up_confirms_the_address_and_signs_in(
    page: Page, axe: AxeCheck, live_server: object, language: str
) -> None:
    email = f"amelie.{language}@example.com"
    page.goto(sign_up_path(language))
    expect(page.locator("html")).to_have_attribute("lang", language)
    axe(page)

    fill_sign_up(page, email=email, language=language, password=PASSPHRASE)

    expect(page.get_by_role("main")).to_contain_text(email)
    axe(page)
    link = emailed_link(OutboxMessage.objects.get(to_email=email, kind="verify_email"))
    # Emails link to the public site; here that is the test server.
    assert link.startswith(f"{settings.PASSAGE_SITE_URL}/{language}/")
    link = f"{live_server}{link.removeprefix(settings.PASSAGE_SITE_URL)}"

    page.goto(link)
    axe(page)
    page.get_by_role("main").get_by_role("button").click()

    expect(page.get_by_role("status")).to_be_visible()
    sign_in(page, language=language, username=email, password=PASSPHRASE)
    expect(page.get_by_role("navigation", name=ACCOUNT_NAV[language])).to_contain_text("Amélie")


def test_a_breached_password_is_named_in_the_error_summary(page: Page, axe: AxeCheck) -> None:
    page.goto(sign_up_path("en"))

    fill_sign_up(page, email="amelie@example.com", language="en", password="baseball123456")

    expect(page).to_have_title(re.compile("^Error: Create an account"))
    summary = page.locator(".gc-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_contain_text("on a list of passwords")
    axe(page)
    summary.get_by_role("link").click()
    expect(page.locator("#id_password")).to_be_focused()
    assert not OutboxMessage.objects.exists()
