"""A person chooses the time zone they read times in on their account page, in English
and in French; "Last saved" on "My applications" then reads in that zone, with the zone
in words. axe-core checks each page."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from passage.accounts.roles import Role
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 01:31 UTC on 22 November: 20:31 on the 21st in Toronto, 17:31 in Vancouver, 21:31 in
# Halifax.
SAVED_AT = datetime(2026, 11, 22, 1, 31, tzinfo=UTC)

WORDS = {
    "en": {
        "zone": "Time zone",
        "save": "Save the time zone",
        "choice": "Pacific time (Vancouver)",
        "saved": "Times are now shown in Pacific time.",
        "last_saved": "21 November 2026, 5:31 p.m. (Pacific time)",
    },
    "fr": {
        "zone": "Fuseau horaire",
        "save": "Enregistrer le fuseau horaire",
        "choice": "heure de l\u2019Atlantique (Halifax)",
        "saved": "heure de l\u2019Atlantique",
        "last_saved": "21 novembre 2026, 21 h 31 (heure de l\u2019Atlantique)",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_person_chooses_their_time_zone_and_times_follow_it(
    page: Page, axe: AxeCheck, language: str
) -> None:
    load_programs()
    person = create_user(Role.APPLICANT, username="amara", password=PASSWORD)
    drafts.start_draft(person=person, program_code="iec", now=SAVED_AT)
    words = WORDS[language]
    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="amara", password=PASSWORD)

    page.goto(path("accounts:account", language))
    zone = page.get_by_label(words["zone"])
    expect(zone).to_have_value("America/Toronto")
    axe(page)
    zone.select_option(label=words["choice"])
    page.get_by_role("button", name=words["save"]).click()

    expect(page.get_by_role("status")).to_contain_text(words["saved"])
    expect(page.get_by_label(words["zone"])).not_to_have_value("America/Toronto")
    axe(page)
    page.goto(path("intake:my-applications", language))
    expect(page.get_by_role("main")).to_contain_text(words["last_saved"])
    axe(page)
