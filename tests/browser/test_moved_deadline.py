"""A client's tracker after an outage moved their due date, in Chromium, in English and in
French: the new date, the date it moved from and the outage that moved it, in plain words,
with a link to the service status. axe-core checks the page."""

import pytest
from playwright.sync_api import expect

from passage.continuity.relief import recompute_relief
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.continuity.builders import DUE, asked, at, incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "moved": "This date moved from 3 March 2027 to 4 March 2027 because of outage {ref}.",
        "status": "See the service status",
    },
    "fr": {
        "moved": "Cette date a été reportée du 3 mars 2027 au 4 mars 2027 en raison "
        "de la panne {ref}.",
        "status": "Consulter l\u2019état des services",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_sees_the_date_an_outage_moved_and_why(
    new_page: NewPage, axe: AxeCheck, language: str
) -> None:
    request = asked()
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))
    applicant = request.case.application.applicant
    page = new_page()
    case_path = path("tracker:case", language, case_id=request.case.public_id)

    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username=applicant.username, password=PASSWORD)

    main = page.get_by_role("main")
    expect(main).to_contain_text(WORDS[language]["moved"].format(ref=outage.reference))
    axe(page)
    main.get_by_role("link", name=WORDS[language]["status"]).first.click()
    expect(page).to_have_url(f"{page.url.split('/' + language + '/')[0]}/{language}/status/")
    expect(page.get_by_role("main")).to_contain_text(outage.reference)
