"""An officer finds a file from the search box of their queue, then sorts and filters the
queue, in Chromium, in English and in French. axe-core checks each page at a phone's, a
tablet's and a desktop's width."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from passage import clock
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.workbench.builders import claimed_case, create_skilled_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "find": "Find a file",
        "search": "Search",
        "results": "Results",
        "one": "1 file matches.",
        "nothing": "No file matches “Dupont”.",
        "sort": "Sort by",
        "newest": "Newest first",
        "tier": "Tier",
        "tier_3": "Tier 3: full assessment",
        "show": "Show the files",
        "caption": "Your open files, newest first",
        "showing": "Showing 1 of your 2 open files.",
    },
    "fr": {
        "find": "Trouver un dossier",
        "search": "Rechercher",
        "results": "Résultats",
        "one": "1 dossier correspond.",
        "nothing": "Aucun dossier ne correspond à «\u00a0Dupont\u00a0».",
        "sort": "Trier par",
        "newest": "Du plus récent au plus ancien",
        "tier": "Niveau",
        "tier_3": "Niveau 3\u00a0: évaluation complète",
        "show": "Afficher les dossiers",
        "caption": "Vos dossiers ouverts, du plus récent au plus ancien",
        "showing": "1 de vos 2 dossiers ouverts affichés.",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_finds_a_file_by_name_and_sorts_and_filters_the_queue(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)  # staff sign in with a second factor
    old = claimed_case(officer, received=clock.now() - timedelta(days=9))
    new = claimed_case(officer, received=clock.now() - timedelta(days=1), funds_cad=1200)
    elsewhere = claimed_case(create_skilled_officer(office="montreal"), received=clock.now())
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    page.goto(path("workbench:queue", language))

    # The search box of the queue: a name typed without its accent finds the file.
    page.get_by_label(words["find"]).fill("amelie POULAIN")
    page.get_by_role("button", name=words["search"], exact=True).click()
    expect(page.get_by_role("heading", name=words["results"])).to_be_visible()
    expect(main).to_contain_text(old.reference)
    expect(main).to_contain_text(new.reference)
    assert elsewhere.reference not in page.content()
    axe(page)  # at a phone's, a tablet's and a desktop's width

    # Each search waits for its own page, so that the next one is typed into it.
    page.get_by_label(words["find"]).fill(old.reference[-6:])
    page.get_by_role("button", name=words["search"], exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=" + old.reference[-6:]))
    expect(main).to_contain_text(words["one"])
    page.get_by_label(words["find"]).fill("Dupont")
    page.get_by_role("button", name=words["search"], exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]q=Dupont"))
    expect(main).to_contain_text(words["nothing"])

    # The queue, newest first, then only tier 3: the choices stay chosen.
    page.goto(path("workbench:queue", language))
    page.get_by_label(words["sort"]).select_option(label=words["newest"])
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator("caption")).to_have_text(words["caption"])
    rows = page.locator("table tbody tr th a")
    expect(rows).to_have_text([new.reference, old.reference])
    page.get_by_label(words["tier"], exact=True).select_option(label=words["tier_3"])
    page.get_by_role("button", name=words["show"]).click()
    expect(rows).to_have_text([new.reference])
    expect(main).to_contain_text(words["showing"])
    expect(page.get_by_label(words["sort"])).to_have_value("newest")
    axe(page)
