"""A staff member without an authenticator app is sent to set one up before the
workbench: the key and QR code, a code to confirm, recovery codes once, then the page
they asked for. axe-core checks each page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.accounts.builders import current_code
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, enter_code, sign_in
from tests.builders import create_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_sets_up_an_app_before_the_workbench(
    page: Page, axe: AxeCheck, live_server: object
) -> None:
    officer = create_officer(username="lea", password=PASSWORD)
    page.goto("/en/workbench/")
    sign_in(page, language="en", username="lea", password=PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe(page)
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    enter_code(page, current_code(device))

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    axe(page)
    page.get_by_role("link", name="I have kept my codes").click()

    expect(page).to_have_url(f"{live_server}/en/workbench/")


def test_a_wrong_code_at_sign_in_is_named_in_the_error_summary(page: Page, axe: AxeCheck) -> None:
    officer = create_officer(username="lea", password=PASSWORD)
    TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    page.goto(SIGN_IN["en"]["path"])
    sign_in(page, language="en", username="lea", password=PASSWORD)

    enter_code(page, "000000")

    summary = page.locator(".gc-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_contain_text("The code is not right")
    axe(page)
