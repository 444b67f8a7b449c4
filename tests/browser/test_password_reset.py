"""Resetting a forgotten password in a browser: the link on the sign-in page, the email
(read from the outbox), a new password, then signing in with it, in English and in
French, with axe-core on every page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from passage.outbox.models import OutboxMessage
from tests.browser.conftest import AxeCheck
from tests.browser.support import SIGN_IN, sign_in
from tests.builders import create_user
from tests.outbox.outbox import emailed_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lantern orchard velvet quarry"
ACCOUNT_NAV = {"en": "Your account", "fr": "Votre compte"}


def forgot_password_path(language: str) -> str:
    with translation.override(language):
        return reverse("accounts:forgot-password")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_person_resets_a_forgotten_password_and_signs_in_with_the_new_one(
    page: Page, axe: AxeCheck, live_server: object, language: str
) -> None:
    email = f"amelie.{language}@example.com"
    create_user(username=email, email=email, first_name="Amélie", preferred_language=language)
    page.goto(SIGN_IN[language]["path"])
    axe(page)

    page.locator(f'main a[href="{forgot_password_path(language)}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    axe(page)
    page.locator("#id_email").fill(email)
    page.locator("main form.gc-form button[type=submit]").click()

    expect(page.get_by_role("main")).to_contain_text(email)
    axe(page)
    link = emailed_link(OutboxMessage.objects.get(to_email=email, kind="password_reset"))
    # Emails link to the public site; here that is the test server.
    assert link.startswith(f"{settings.PASSAGE_SITE_URL}/{language}/")
    page.goto(f"{live_server}{link.removeprefix(settings.PASSAGE_SITE_URL)}")
    axe(page)

    page.locator("#id_password").fill("baseball123456")
    page.locator("main form.gc-form button[type=submit]").click()
    expect(page.locator(".gc-error-summary")).to_be_focused()
    axe(page)
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("main form.gc-form button[type=submit]").click()

    expect(page.locator(".gc-notice--success")).to_be_visible()
    axe(page)
    assert OutboxMessage.objects.filter(to_email=email, kind="password_changed").exists()
    sign_in(page, language=language, username=email, password=NEW_PASSWORD)
    expect(page.get_by_role("navigation", name=ACCOUNT_NAV[language])).to_contain_text("Amélie")
