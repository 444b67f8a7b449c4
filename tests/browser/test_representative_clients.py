"""A representative tells whose case is whose, in Chromium, in English and in French: on
"My applications" they narrow the list to one client and then search a reference, with
the plain GET form; each row names the client and who prepared it. axe-core checks the
page at a phone's, a tablet's and a desktop's width."""

import re

import pytest
from playwright.sync_api import expect

from passage.accounts.roles import Role
from passage.intake import representation
from passage.intake.catalogue import load_programs
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user, submit_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WORDS = {
    "en": {
        "client": "Client",
        "search": "Reference or client's name",
        "show": "Show the applications",
        "you": "You",
        "your_client": "Your client",
    },
    "fr": {
        "client": "Client ou cliente",
        "search": "Numéro de demande ou nom du client",
        "show": "Afficher les demandes",
        "you": "Vous",
        "your_client": "Votre client ou cliente",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_representative_filters_by_client_and_searches_a_reference(
    new_page: NewPage, axe: AxeCheck, language: str
) -> None:
    load_programs()
    words = WORDS[language]
    create_user(
        Role.REPRESENTATIVE,
        username="counsel",
        email="counsel@example.com",
        password=PASSWORD,
        first_name="Jean",
        last_name="Tremblay",
        preferred_language=language,
    )
    amara = create_user(Role.APPLICANT, first_name="Amara", last_name="Diallo")
    lucas = create_user(Role.APPLICANT, first_name="Lucas", last_name="Moreau")
    for client in (amara, lucas):
        representation.authorise_representative(client=client, email="counsel@example.com")
    amaras = [
        submit_case(amara, given_name="Amara", family_name="Diallo"),
        submit_case(amara, given_name="Amara", family_name="Diallo"),
    ]
    lucass = submit_case(lucas, given_name="Lucas", family_name="Moreau")

    page = new_page()
    listing = path("intake:my-applications", language)
    page.goto(f"{SIGN_IN[language]['path']}?next={listing}")
    sign_in(page, language=language, username="counsel", password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(listing) + "$"))
    main = page.get_by_role("main")
    table = main.get_by_role("table").last
    expect(table.get_by_role("row")).to_have_count(4)  # the header and three cases

    main.get_by_label(words["client"], exact=True).select_option(label="Amara Diallo")
    main.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(re.compile(r"\?client=\d+"))
    rows = main.get_by_role("table").last.get_by_role("row")
    expect(rows).to_have_count(3)
    for case in amaras:
        row = rows.filter(has_text=case.reference)
        expect(row).to_contain_text("Amara Diallo")
        expect(row).to_contain_text(words["your_client"])
    expect(main).not_to_contain_text(lucass.reference)
    axe(page)

    main.get_by_label(words["client"], exact=True).select_option(value="")
    main.get_by_label(words["search"]).fill(lucass.reference.lower())
    main.get_by_role("button", name=words["show"]).click()
    rows = main.get_by_role("table").last.get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text(lucass.reference)
    expect(rows.last).to_contain_text("Lucas Moreau")
    expect(main.get_by_label(words["search"])).to_have_value(lucass.reference.lower())

    axe(page)  # at a phone's, a tablet's and a desktop's width
