"""A client changes their telephone and mailing address on their account page, in English
and in French; the change is recorded on their open application for the officers.
axe-core checks each page."""

import pytest
from playwright.sync_api import Page, expect

from passage.accounts.roles import Role
from passage.cases.models import CaseEvent
from passage.cases.status import CaseStatus, EventKind
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import case_in_status, create_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "heading": "Your contact details",
        "phone": "Telephone",
        "address": "Mailing address",
        "given": "Given names",
        "save": "Save your contact details",
        "saved": "Your contact details are saved.",
        "error": "Enter your given names",
    },
    "fr": {
        "heading": "Vos coordonnées",
        "phone": "Téléphone",
        "address": "Adresse postale",
        "given": "Prénoms",
        "save": "Enregistrer vos coordonnées",
        "saved": "Vos coordonnées sont enregistrées.",
        "error": "Entrez vos prénoms",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_changes_their_contact_details_and_the_officers_are_told(
    page: Page, axe: AxeCheck, language: str
) -> None:
    person = create_user(Role.APPLICANT, username="amara", password=PASSWORD, first_name="Amara")
    case = case_in_status(CaseStatus.RECEIVED, submitter=person)
    words = WORDS[language]
    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="amara", password=PASSWORD)

    page.goto(path("accounts:account", language))
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    axe(page)
    page.get_by_label(words["given"]).fill("")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("main")).to_contain_text(words["error"])
    axe(page)

    page.get_by_label(words["given"]).fill("Amara")
    page.get_by_label(words["phone"]).fill("+1 613 555 0123")
    page.get_by_label(words["address"]).fill("1 Wellington Street\nOttawa ON  K1A 0A9")
    page.get_by_role("button", name=words["save"]).click()

    expect(page.get_by_role("status")).to_contain_text(words["saved"])
    expect(page.get_by_label(words["phone"])).to_have_value("+1 613 555 0123")
    axe(page)
    (event,) = CaseEvent.objects.filter(case=case, kind=EventKind.DETAILS_CHANGED)
    assert event.payload["changes"] == {
        "phone": "+1 613 555 0123",
        "address": "1 Wellington Street\nOttawa ON  K1A 0A9",
    }
