"""An officer opens the documents an applicant sent, in Chromium, in English and in
French: from the case page, each document named by what was asked for, to the viewer that
shows it; axe-core checks the pages at a phone's, a tablet's and a desktop's width."""

import re

import pytest
from playwright.sync_api import Page, expect

from passage.cases.status import Step
from passage.tracker.services import answer_document_request
from passage.workbench.models import DocumentAccess
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import png_image
from tests.tracker.builders import ask_for_documents, worked_case
from tests.workbench.builders import create_skilled_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


WORDS = {
    "en": {
        "passport": "Passport",
        "answer": "Medical exam report (asked for the medical exam step)",
        "view": "View",
        "download": "Download",
        "back": "Back to file {reference}",
    },
    "fr": {
        "passport": "Passeport",
        "answer": "Medical exam report (demandé pour l\u2019étape examen médical)",
        "view": "Afficher",
        "download": "Télécharger",
        "back": "Retour au dossier {reference}",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_opens_a_document_from_the_case_page_and_sees_it(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)  # staff sign in with a second factor
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    answer_document_request(
        person=case.application.applicant,
        case_id=case.public_id,
        request_id=request.pk,
        files=[("exam.png", png_image(400, 300))],
        idempotency_key="answer",
    )
    case_path = path("workbench:case", language, case_id=case.public_id)

    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    documents = page.get_by_role("table").filter(has=page.locator("#documents-caption"))
    expect(documents.get_by_role("rowheader", name=words["passport"])).to_be_visible()
    expect(documents.get_by_role("rowheader", name=words["answer"])).to_be_visible()
    expect(documents).not_to_contain_text("request-")
    axe(page)  # at a phone's, a tablet's and a desktop's width

    # The answer to the request: a photo, shown in the page.
    documents.get_by_role("link", name=f"{words['view']} {words['answer']}").click()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(words["answer"])
    image = main.get_by_role("img", name=words["answer"])
    expect(image).to_be_visible()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth === 400", arg=image.element_handle()
    )
    expect(main.get_by_role("link", name=f"{words['download']} {words['answer']}")).to_be_visible()
    # At every width, and the photo fits the narrowest: the page does not scroll sideways.
    axe(page)

    # Back to the file, then the passport: a PDF, embedded in the page.
    main.get_by_role("link", name=words["back"].format(reference=case.reference)).click()
    documents.get_by_role("link", name=f"{words['view']} {words['passport']}").click()
    expect(main.get_by_role("heading", level=1)).to_have_text(words["passport"])
    embedded = main.locator("object[type='application/pdf']")
    expect(embedded).to_have_attribute("data", re.compile(re.escape(case_path) + r"documents/\d+/"))
    axe(page)  # at a phone's, a tablet's and a desktop's width

    accesses = DocumentAccess.objects.filter(person=officer, action="view")
    assert {access.document.kind for access in accesses} >= {f"request-{request.pk}"}
