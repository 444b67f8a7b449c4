"""An applicant applies to International Experience Canada in Chromium, in English and in
French: fill in, make a mistake and see it explained, save and sign out, sign in again and
resume, upload the documents (a renamed executable is refused and explained), check the
answers, submit, and land on the confirmation with a reference. The case is then triaged
with the facts from the answers and has the documents. axe-core checks every page."""

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from passage.cases.models import Case
from tests.browser.apply import (
    answer_up_to,
    prepare_applicant,
    sign_in_from_the_programs,
    triage_assessment,
)
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, sign_in
from tests.builders import MINIMAL_PDF
from tests.intake.flows.answers import answers_for
from tests.intake.journeys import (
    CONTINUE,
    LATER,
    answer_page,
    choose_file,
    documents_segment,
    start_application,
    upload_required_documents,
    url,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the applicant reads, in each language (from questions.yaml and the catalogue).
WORDS = {
    "en": {
        "program": "International Experience Canada",
        "category": "Which category are you applying to?",
        "birth": "What is your date of birth?",
        "problem": "There was a problem",
        "not_real": "“Date of birth” must be a real date",
        "funds": "How much money will you have when you arrive?",
        "next": "How much money will you have when you arrive?",
        "sign_out": "Sign out",
        "answer": "3,000",
        "documents": "Upload your documents",
        "not_accepted": "Only PDF, JPEG and PNG files are accepted.",
    },
    "fr": {
        "program": "Expérience internationale Canada",
        "category": "À quelle catégorie présentez-vous une demande\u00a0?",
        "birth": "Quelle est votre date de naissance\u00a0?",
        "problem": "Un problème est survenu",
        "not_real": "Date de naissance",
        "funds": "De combien d\u2019argent disposerez-vous à votre arrivée\u00a0?",
        "next": "De combien d\u2019argent disposerez-vous à votre arrivée\u00a0?",
        "sign_out": "Se déconnecter",
        "answer": "3",
        "documents": "Téléversez vos documents",
        "not_accepted": "Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_applicant_applies_to_iec_saves_signs_out_resumes_and_submits(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    prepare_applicant(settings, username="amelie", first_name="Amélie")
    words = WORDS[language]
    answers = answers_for(
        "iec", category="young-professionals", job_offer=True, preferred_language=language
    )

    # Signing in is needed to apply; the sign-in page sends the person on.
    sign_in_from_the_programs(page, language=language, username="amelie")
    expect(page.get_by_role("main")).to_contain_text(words["program"])
    axe(page)

    draft = start_application(page, program="iec", language=language)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["category"])

    # The first pages, up to the date of birth.
    answer_up_to(page, program="iec", answers=answers, page_id="date-of-birth", check=axe)

    # A date that does not exist is explained at the top and next to the field.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["birth"])
    page.locator("#date_of_birth-day").fill("31")
    page.locator("#date_of_birth-month").fill("2")
    page.locator("#date_of_birth-year").fill("1998")
    page.locator(CONTINUE).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(words["problem"])
    expect(summary).to_contain_text(words["not_real"])
    expect(page.locator("#date_of_birth-error")).to_be_visible()
    axe(page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#date_of_birth-day")).to_be_focused()

    # Put it right and go on to the funds, then save and come back later.
    answer_up_to(page, program="iec", answers=answers, page_id="funds", check=axe)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["funds"])
    answer_page(page, "iec", answers)
    page.locator(LATER).click()
    expect(page).to_have_url(re.compile(re.escape(url("my-applications", language)) + "$"))
    axe(page)

    # Sign out; sign in again and resume from "My applications".
    page.get_by_role("button", name=words["sign_out"]).click()
    page.goto(url("my-applications", language))
    sign_in(page, language=language, username="amelie", password=PASSWORD)
    page.locator(f"a[href='{url('resume', language, draft_id=draft.public_id)}']").click()
    # The person resumes on the page they left, with the funds they gave.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["next"])
    expect(page.locator("#funds_cad")).to_have_value("3000")

    answer_up_to(
        page, program="iec", answers=answers, page_id=documents_segment(language), check=axe
    )

    # The documents: a program renamed to look like a PDF is refused and explained, and
    # nothing of it is kept; the PDFs are accepted.
    expect(page.get_by_role("heading", level=1)).to_have_text(words["documents"])
    axe(page)
    choose_file(page, "passport", "passport.pdf", b"MZ\x90\x00 a renamed executable")
    page.locator(CONTINUE).click()
    expect(page.get_by_role("alert")).to_contain_text(words["not_accepted"])
    expect(page.locator("#document-passport-error")).to_contain_text(words["not_accepted"])
    axe(page)
    assert not draft.documents.exists()
    upload_required_documents(page, "iec")
    page.locator(CONTINUE).click()
    check_answers = url("check", language, draft_id=draft.public_id)
    expect(page).to_have_url(re.compile(re.escape(check_answers) + "$"))

    # Check the answers, then declare and submit.
    main = page.get_by_role("main")
    expect(main).to_contain_text(words["answer"])
    expect(main).to_contain_text("passport.pdf")
    axe(page)
    page.locator("#declaration").check()
    page.locator("main form button[type='submit']").last.click()

    case = Case.objects.get()
    confirmation = url("confirmation", language, draft_id=draft.public_id)
    expect(page).to_have_url(re.compile(re.escape(confirmation) + "$"))
    expect(page.locator(".gc-reference")).to_have_text(case.reference)
    axe(page)

    # Going back and submitting again changes nothing.
    page.go_back()
    assert Case.objects.count() == 1

    # The case is triaged with the facts from the answers: nothing was typed again.
    assessed = triage_assessment(case)
    assert assessed["outcome"] == "eligible_auto"
    assert case.application.category == "young-professionals"
    assert case.application.answers.get().answers["job_offer"] is True
    documents = {d.kind: d.sha256 for d in case.application.documents.all()}
    assert set(documents) == {"passport", "proof-of-funds"}
    assert set(documents.values()) == {hashlib.sha256(MINIMAL_PDF).hexdigest()}
