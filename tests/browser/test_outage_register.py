"""A supervisor keeps the outage register, in Chromium, in English and in French: from the
supervision overview to the register, they announce maintenance (the form first says what
is missing), record an incident, then resolve it; the outage's page shows its trail.
axe-core checks each page at 320, 768 and 1280 pixels wide."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, expect

from passage import clock
from passage.continuity.models import Outage
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.workbench.builders import create_supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = ZoneInfo("America/Toronto")  # the supervisor's office's, unless they chose one

# What the supervisor reads, types and clicks, in each language.
WORDS = {
    "en": {
        "register_link": "Outage register: announce maintenance",
        "register": "Outage register",
        "announce": "Announce maintenance",
        "announce_button": "Announce",
        "missing_service": "Choose at least one service.",
        "sign_in": "Sign-in",
        "intake": "Applying online",
        "uploads": "Document uploads",
        "starts": "Starts",
        "ends": "Ends",
        "started": "When it started",
        "title_en": "Title in English",
        "title_fr": "Title in French",
        "zone": "In your time zone: Eastern time.",
        "recorded": "Recorded {reference}.",
        "record": "Record an incident",
        "record_button": "Record the incident",
        "resolved": "Resolved",
        "save": "Save the changes",
        "changed": "{reference} changed.",
        "trail": "changed by Robert Nadeau",
        "scheduled": "Scheduled",
    },
    "fr": {
        "register_link": "Registre des pannes\u00a0: annoncer une maintenance",
        "register": "Registre des pannes",
        "announce": "Annoncer une maintenance",
        "announce_button": "Annoncer",
        "missing_service": "Choisissez au moins un service.",
        "sign_in": "Connexion",
        "intake": "Demande en ligne",
        "uploads": "Téléversement de documents",
        "starts": "Début",
        "ends": "Fin",
        "started": "Début de l\u2019incident",
        "title_en": "Titre en anglais",
        "title_fr": "Titre en français",
        "zone": "Dans votre fuseau horaire\u00a0: heure de l\u2019Est.",
        "recorded": "{reference} consigné.",
        "record": "Consigner un incident",
        "record_button": "Consigner l\u2019incident",
        "resolved": "Résolu",
        "save": "Enregistrer les modifications",
        "changed": "{reference} modifié.",
        "trail": "modifié par Robert Nadeau",
        "scheduled": "Prévue",
    },
}


def typed(hours: float) -> str:
    """An instant `hours` from now as the supervisor types it, in their time zone."""
    return (clock.now() + timedelta(hours=hours)).astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def form_with(page: Page, button: str) -> Locator:
    return (
        page.get_by_role("main")
        .locator("form")
        .filter(has=page.get_by_role("button", name=button, exact=True))
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_supervisor_announces_maintenance_and_records_then_resolves_an_incident(
    page: Page, axe: AxeCheck, language: str
) -> None:
    words = WORDS[language]
    supervisor = create_supervisor(
        username="robert", first_name="Robert", last_name="Nadeau", password=PASSWORD
    )
    device = create_authenticator(supervisor)  # staff sign in with a second factor
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="robert", password=PASSWORD, device=device)
    page.goto(path("workbench:overview", language))
    wait_for_design_system(page)
    main.get_by_role("link", name=words["register_link"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["register"])
    axe(page)

    # Announce maintenance, first without a service: the form says what is missing.
    main.get_by_role("link", name=words["announce"]).click()
    expect(main).to_contain_text(words["zone"])
    form = form_with(page, words["announce_button"])
    form.get_by_label(re.compile("^" + re.escape(words["starts"]))).fill(typed(48))
    form.get_by_label(re.compile("^" + re.escape(words["ends"]))).fill(typed(52))
    form.get_by_label(re.compile("^" + re.escape(words["title_en"]))).fill("Sign-in paused")
    form.get_by_label(re.compile("^" + re.escape(words["title_fr"]))).fill("Connexion suspendue")
    form.get_by_role("button", name=words["announce_button"], exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(words["missing_service"])
    axe(page)

    form = form_with(page, words["announce_button"])
    form.get_by_label(words["sign_in"], exact=True).check()
    form.get_by_label(words["intake"], exact=True).check()
    form.get_by_role("button", name=words["announce_button"], exact=True).click()
    maintenance = Outage.objects.get(kind="planned")
    expect(page.get_by_role("status")).to_contain_text(
        words["recorded"].format(reference=maintenance.reference)
    )
    assert maintenance.components == ["intake", "sign-in"]
    expect(main).to_contain_text(words["scheduled"])
    axe(page)

    # Record an incident that began an hour ago, from the register.
    page.goto(path("outages:register", language))
    main.get_by_role("link", name=words["record"]).click()
    form = form_with(page, words["record_button"])
    form.get_by_label(words["uploads"], exact=True).check()
    form.get_by_label(re.compile("^" + re.escape(words["started"]))).fill(typed(-1))
    form.get_by_label(re.compile("^" + re.escape(words["title_en"]))).fill("Uploads fail")
    form.get_by_label(re.compile("^" + re.escape(words["title_fr"]))).fill(
        "Les téléversements échouent"
    )
    axe(page)
    form.get_by_role("button", name=words["record_button"], exact=True).click()
    incident = Outage.objects.get(kind="incident")
    expect(page.get_by_role("status")).to_contain_text(
        words["recorded"].format(reference=incident.reference)
    )

    # Resolve it: with no end given, it ends now.
    form = form_with(page, words["save"])
    form.get_by_label(words["resolved"], exact=True).check()
    form.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        words["changed"].format(reference=incident.reference)
    )
    expect(main).to_contain_text(words["trail"])
    axe(page)
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert incident.ends_at is not None

    page.goto(path("outages:register", language))
    row = main.get_by_role("row").filter(has_text=incident.reference)
    expect(row).to_contain_text(words["resolved"])
