"""The policy analyst signs in, with the second factor staff use, and lands on their own
home (the rules in force), in English and in French; axe-core checks it at a phone's, a
tablet's and a desktop's width."""

import re

import pytest
from playwright.sync_api import Page, expect

from passage.accounts.roles import Role
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = {"en": "Rules in force", "fr": "Règles en vigueur"}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_analyst_signs_in_and_lands_on_the_rules_in_force(
    page: Page, axe: AxeCheck, language: str
) -> None:
    analyst = create_user(Role.ANALYST, username="nadia", password=PASSWORD)
    device = create_authenticator(analyst)

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="nadia", password=PASSWORD, device=device)

    expect(page).to_have_url(re.compile(re.escape(path("web:analyst", language)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[language])
    main = page.get_by_role("main")
    expect(main.get_by_text("iec@", exact=False).first).to_be_visible()
    expect(main.get_by_text("passage rules diff --program iec", exact=False)).to_be_visible()
    axe(page)  # at a phone's, a tablet's and a desktop's width
