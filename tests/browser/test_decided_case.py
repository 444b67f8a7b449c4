"""A decided case asks nothing more, in Chromium, in English and in French: after an officer
refuses a file while their document request is still open, the applicant's tracker page
shows no request and no upload form, and the step that waited on them is no longer
needed. axe-core checks the page at a phone's, a tablet's and a desktop's width."""

import re

import pytest
from playwright.sync_api import expect

from passage.cases.models import DocumentRequest
from passage.cases.status import Step
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user, give_to, refuse
from tests.tracker.builders import ask_for_documents
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# What the applicant reads, in each language (French: already translated).
WORDS = {
    "en": {
        "biometrics": "Biometrics",
        "not_needed": "No longer needed",
        "waiting": "Waiting on you",
        "nothing": "Nothing: a decision was made on your application.",
        "send": "Send documents for",
        "closed": "We no longer need the documents for “Biometrics”",
    },
    "fr": {
        "biometrics": "Données biométriques",
        "not_needed": "Plus nécessaire",
        "waiting": "En attente de votre part",
        "nothing": "Rien\u00a0: une décision a été prise sur votre demande.",
        "send": "Envoyez les documents",
        "closed": (
            "Nous n\u2019avons plus besoin des documents pour «\u00a0Données biométriques\u00a0»"
        ),
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_after_a_refusal_the_tracker_asks_the_applicant_for_nothing(
    new_page: NewPage, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    applicant = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    officer = create_skilled_officer()
    case = give_to(ready_case(submitter=applicant), officer)
    ask_for_documents(case, officer, Step.BIOMETRICS)
    refuse(case, officer)

    page = new_page()
    case_path = path("tracker:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username="amelie", password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(main).to_contain_text(words["nothing"])
    expect(main).to_contain_text(words["closed"])
    expect(main).not_to_contain_text(words["send"])
    expect(main).not_to_contain_text(words["waiting"])
    expect(main.locator("input[type=file]")).to_have_count(0)
    expect(main.locator("form[enctype='multipart/form-data']")).to_have_count(0)
    expect(main.locator("section[aria-labelledby^='request-']")).to_have_count(0)
    biometrics = main.get_by_role("table").get_by_role("row").filter(has_text=words["biometrics"])
    expect(biometrics).to_contain_text(words["not_needed"])
    assert not DocumentRequest.objects.filter(case=case).open().exists()

    axe(page)  # at a phone's, a tablet's and a desktop's width
