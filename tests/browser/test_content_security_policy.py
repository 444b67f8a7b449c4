"""The Content Security Policy in Chromium: every kind of page, in English and in French,
draws the design system's header and footer and breaks no rule of the policy, and so do
the API docs page (Swagger UI) for verified staff and the admin's widgets. A rule broken
shows up twice: as a `securitypolicyviolation` event in the page and as a message in the
browser's console."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from passage.accounts.models import User
from passage.cases.status import PartyRole
from passage.intake.catalogue import load_programs
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.builders import create_user
from tests.tracker.builders import add_party, worked_case
from tests.workbench.builders import create_skilled_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Sends every violation the page sees to the test, from the first moment of every page.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', event => window.reportViolation({
  directive: event.effectiveDirective,
  blocked: event.blockedURI,
  source: event.sourceFile,
  line: event.lineNumber,
  sample: event.sample,
}), true);
"""
# What the console says when the policy blocks something.
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy")


@dataclass
class Watched:
    """A page, with the violations and the console's policy messages seen so far."""

    page: Page
    violations: list[dict[str, Any]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.violations == [], f"{self.page.url}: {self.violations}"
        assert self.console == [], f"{self.page.url}: {self.console}"


@pytest.fixture
def watched(new_page: NewPage) -> Callable[[], Watched]:
    """Open pages that report what the policies block."""

    def open_watched() -> Watched:
        page = new_page()
        seen = Watched(page)
        page.expose_function("reportViolation", lambda violation: seen.violations.append(violation))
        page.add_init_script(REPORT_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                seen.console.append(f"{message.type}: {message.text}")
                if any(words in message.text for words in POLICY_WORDS)
                else None
            ),
        )
        return seen

    return open_watched


def open_under_the_policy(seen: Watched, address: str) -> None:
    """Open the page, which must come with the site's policy (scripts from itself only)."""
    response = seen.page.goto(address)
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    # django-csp writes the directives in no fixed order.
    directives = {part.strip() for part in policy.split(";")}
    assert "script-src 'self'" in directives


def drawn_under_the_policy(seen: Watched) -> None:
    """The header and footer have drawn, and nothing was blocked on the way."""
    wait_for_design_system(seen.page)
    expect(seen.page.locator("gcds-header")).to_have_class("hydrated")
    expect(seen.page.locator("gcds-footer")).to_have_class("hydrated")
    seen.assert_clean()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages_draw_the_design_system_with_nothing_blocked(
    watched: Callable[[], Watched], language: str
) -> None:
    seen = watched()
    for address in (f"/{language}/", SIGN_IN[language]["path"], path("intake:programs", language)):
        open_under_the_policy(seen, address)
        drawn_under_the_policy(seen)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_s_tracker_and_portal_draw_with_nothing_blocked(
    watched: Callable[[], Watched], language: str
) -> None:
    load_programs()
    case = worked_case()
    client = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    add_party(case, PartyRole.APPLICANT, client)
    seen = watched()

    open_under_the_policy(seen, SIGN_IN[language]["path"])
    sign_in(seen.page, language=language, username="amelie", password=PASSWORD)
    drawn_under_the_policy(seen)
    # Debug is off in tests, so the cookies are Secure: Chromium keeps them on localhost.
    cookies = {cookie["name"]: cookie for cookie in seen.page.context.cookies()}
    assert cookies["sessionid"]["secure"]
    assert cookies["csrftoken"]["secure"]
    for address in (
        path("intake:programs", language),
        path("intake:my-applications", language),
        path("tracker:case", language, case_id=case.public_id),
    ):
        open_under_the_policy(seen, address)
        drawn_under_the_policy(seen)
    # The portal's first page of questions.
    open_under_the_policy(seen, path("intake:programs", language))
    seen.page.locator("button.gc-button--start").first.click()
    expect(seen.page).to_have_url(re.compile(r"/[0-9a-f-]{36}/[a-z0-9-]+/$"))
    drawn_under_the_policy(seen)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_officer_workbench_draws_with_nothing_blocked(
    watched: Callable[[], Watched], language: str
) -> None:
    officer = create_skilled_officer(username="lea", password=PASSWORD)
    device = create_authenticator(officer)
    case = worked_case(officer)
    seen = watched()

    open_under_the_policy(seen, SIGN_IN[language]["path"])
    sign_in(seen.page, language=language, username="lea", password=PASSWORD, device=device)
    for address in (
        path("workbench:queue", language),
        path("workbench:case", language, case_id=case.public_id),
    ):
        open_under_the_policy(seen, address)
        drawn_under_the_policy(seen)


def test_the_api_docs_draw_swagger_ui_for_verified_staff_with_nothing_blocked(
    watched: Callable[[], Watched],
) -> None:
    officer = create_skilled_officer(username="lea", password=PASSWORD)
    device = create_authenticator(officer)
    seen = watched()

    open_under_the_policy(seen, "/api/v1/docs")
    sign_in(seen.page, language="en", username="lea", password=PASSWORD, device=device)

    expect(seen.page).to_have_url(re.compile(r"/api/v1/docs$"))
    expect(seen.page.locator(".swagger-ui .info .title")).to_contain_text("Passage API")
    operation = seen.page.locator(".opblock").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    expect(operation.get_by_role("button", name="Execute")).to_be_visible()
    seen.page.get_by_role("button", name="Authorize").first.click()
    expect(seen.page.get_by_role("heading", name="Available authorizations")).to_be_visible()
    seen.page.get_by_role("button", name="Close").first.click()
    seen.page.locator(".models-control").click()
    seen.page.wait_for_timeout(1000)
    seen.assert_clean()


def test_the_admin_works_with_nothing_blocked(watched: Callable[[], Watched]) -> None:
    admin = create_user(username="ada", password=PASSWORD)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    device = create_authenticator(admin)
    officer = create_skilled_officer(username="lea")
    seen = watched()

    open_under_the_policy(seen, "/en/admin/")
    sign_in(seen.page, language="en", username="ada", password=PASSWORD, device=device)
    expect(seen.page.locator("#site-name")).to_be_visible()
    for address in (
        "/en/admin/accounts/user/",
        f"/en/admin/accounts/user/{officer.pk}/change/",
        "/en/admin/workbench/leave/add/",
        "/en/admin/messaging/outboxmessage/",
    ):
        open_under_the_policy(seen, address)
        seen.page.wait_for_load_state("load")
        seen.assert_clean()
    # The date picker and the officer's autocomplete: widgets drawn by the admin's scripts.
    open_under_the_policy(seen, "/en/admin/workbench/leave/add/")
    seen.page.locator("#calendarlink0").click()
    seen.page.locator(".calendarbox").first.wait_for()
    seen.page.locator(".select2-selection").first.click()
    seen.page.locator(".select2-search__field").fill("lea")
    seen.page.locator(".select2-results__option").first.wait_for()
    seen.assert_clean()
