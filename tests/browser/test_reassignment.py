"""A supervisor's reassignment sticks, in Chromium, in English and in French: the
supervisor gives a file to another officer with a reason (the form first asks for it),
routing runs, the file is still with the chosen officer, and the case page says who gave
it and why. axe-core checks each page at 320, 768 and 1280 pixels wide."""

import re

import pytest
from playwright.sync_api import Page, expect

from passage.cases.models import Case
from passage.workbench.services import route_open_cases
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "covering sick leave"

# What the supervisor reads and clicks, in each language.
WORDS = {
    "en": {
        "select": "Select file {reference}",
        "destination": "Give the selected files to",
        "reason": "Reason",
        "move": "Move the selected files",
        "no_reason": "Give a reason.",
        "moved": "Moved 1 file: {reference}.",
        "run": "Run routing now",
        "routed": "Routing looked at",
        "file": "File {reference}",
        "history": "Assigned to Émilie Côté by Robert Nadeau: covering sick leave",
    },
    "fr": {
        "select": "Sélectionner le dossier {reference}",
        "destination": "Confier les dossiers sélectionnés à",
        "reason": "Motif",
        "move": "Déplacer les dossiers sélectionnés",
        "no_reason": "Indiquez un motif.",
        "moved": "1 dossier déplacé\u00a0: {reference}.",
        "run": "Lancer l\u2019acheminement maintenant",
        "routed": "L\u2019acheminement a examiné",
        "file": "Dossier {reference}",
        "history": "Assigné à Émilie Côté par Robert Nadeau\u00a0: covering sick leave",
    },
}


def check_every_width(page: Page, axe: AxeCheck) -> None:
    """axe-core on the page as a phone, a tablet and a desktop draw it (the fixture sets
    each width in turn)."""
    axe(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_supervisors_reassignment_outlives_routing_and_its_reason_shows(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    # Routing prefers Marc, who holds the program at 3, for a routine file: Émilie holds
    # it at 5 and would be overqualified.
    emilie = create_skilled_officer(
        ("program", "iec", 5),
        ("language", "en", 3),
        ("language", "fr", 3),
        first_name="Émilie",
        last_name="Côté",
    )
    marc = create_skilled_officer(first_name="Marc", last_name="Roy")
    supervisor = create_supervisor(
        username="robert", first_name="Robert", last_name="Nadeau", password=PASSWORD
    )
    device = create_authenticator(supervisor)  # staff sign in with a second factor
    case = ready_case()
    route_open_cases()
    case.refresh_from_db()
    assert case.assigned_to == marc
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="robert", password=PASSWORD, device=device)
    page.goto(path("workbench:files", language))
    check_every_width(page, axe)

    # Give the file to Émilie, first without a reason: the form asks for one.
    page.get_by_label(words["select"].format(reference=case.reference)).check()
    page.get_by_label(re.compile("^" + re.escape(words["destination"]))).select_option(
        label="Émilie Côté"
    )
    main.get_by_role("button", name=words["move"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["no_reason"])
    check_every_width(page, axe)

    page.get_by_label(re.compile("^" + re.escape(words["reason"]))).fill(REASON)
    main.get_by_role("button", name=words["move"]).click()
    expect(page.get_by_role("status")).to_contain_text(
        words["moved"].format(reference=case.reference)
    )

    # Routing runs, from the supervisor's page: the file stays with Émilie.
    page.goto(path("workbench:overview", language))
    wait_for_design_system(page)
    main.get_by_role("button", name=words["run"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["routed"])
    case.refresh_from_db()
    assert case.assigned_to == emilie

    # The files page and the case page say so, with who gave it and why.
    page.goto(path("workbench:files", language))
    row = main.get_by_role("row").filter(has_text=case.reference)
    expect(row).to_contain_text("Émilie Côté")
    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words["file"].format(reference=case.reference)
    )
    expect(main).to_contain_text(words["history"])
    check_every_width(page, axe)

    assert Case.objects.get(pk=case.pk).assignment_pinned
