"""A refusal reaches the client as a letter, in Chromium, in English and in French: the
officer reads the letter before sending the decision, then the applicant reads it on their
tracker, with the reasons, what they can do and by when, and downloads it as a PDF.
axe-core checks the pages at a phone's, a tablet's and a desktop's width."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from passage.cases.models import Case
from passage.cases.status import CaseStatus
from passage.letters.models import DecisionLetter
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user, give_to, iec_answers
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASONS = "Your bank statement shows CAN$1,200; the program asks for at least CAN$2,500."

WORDS = {
    "en": {
        "refuse": "Refuse",
        "reasons": "Reasons",
        "grounds": "Legal grounds",
        "show_letter": "Show the decision letter",
        "letter": "The letter this decision sends",
        "send": "Send the decision and its letter",
        "refused": "The file was refused.",
        "decision_letter": "Decision letter",
        "why": "Why your application is refused",
        "until": "To challenge this decision, you have until",
        "download": "Download the letter (PDF, in English and French)",
        "pdf_first": "Decision on your application",
    },
    "fr": {
        "refuse": "Refuser",
        "reasons": "Motifs",
        "grounds": "Fondements juridiques",
        "show_letter": "Afficher la lettre de décision",
        "letter": "La lettre que cette décision envoie",
        "send": "Envoyer la décision et sa lettre",
        "refused": "Le dossier a été refusé.",
        "decision_letter": "Lettre de décision",
        "why": "Motifs du refus",
        "until": "Pour contester cette décision, vous avez jusqu\u2019au",
        "download": "Télécharger la lettre (PDF, en français et en anglais)",
        "pdf_first": "Décision sur votre demande",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_officer_reads_the_refusal_letter_and_the_applicant_receives_it(
    new_page: NewPage, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    applicant = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    case = ready_case(submitter=applicant, answers=iec_answers(funds_cad=1200))
    officer = create_skilled_officer(username="lea", password=PASSWORD)
    device = create_authenticator(officer)
    give_to(case, officer)

    # The officer writes the refusal and reads its letter before sending it.
    page = new_page()
    file_path = path("workbench:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={file_path}")
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    main = page.get_by_role("main")
    page.get_by_label(words["refuse"], exact=True).check()
    decision = main.locator("section[aria-labelledby='decision-heading']")
    decision.get_by_label(words["reasons"], exact=True).fill(REASONS)
    decision.get_by_label(words["grounds"], exact=True).fill("IRPR 200(1)(b)")
    main.get_by_role("button", name=words["show_letter"]).click()
    preview = main.locator("#letter-preview")
    expect(preview.get_by_role("heading", name=words["letter"])).to_be_visible()
    expect(preview).to_contain_text(REASONS)
    expect(preview).to_contain_text("Why your application is refused")
    expect(preview).to_contain_text("Motifs du refus")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
    axe(page)
    main.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["refused"])
    letter = DecisionLetter.objects.get(case=case)

    # The applicant reads it on their tracker and downloads it.
    client = new_page()
    case_path = path("tracker:case", language, case_id=case.public_id)
    client.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(client, language=language, username="amelie", password=PASSWORD)
    expect(client).to_have_url(re.compile(re.escape(case_path) + "$"))
    section = client.locator(f"section[aria-labelledby='letter-{letter.public_id}']")
    expect(section.get_by_role("heading", name=words["decision_letter"])).to_be_visible()
    expect(section.get_by_role("heading", name=words["why"])).to_be_visible()
    expect(section).to_contain_text(REASONS)
    expect(section).to_contain_text(words["until"])
    expect(section.get_by_role("listitem")).to_have_text(["IRPR 200(1)(b)"])
    with client.expect_download() as download:
        section.get_by_role("link", name=words["download"]).click()
    pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
    # The client's language (the application's) first, the other after it.
    first, second = (WORDS[letter.language], WORDS["fr" if letter.language == "en" else "en"])
    assert first["pdf_first"] in pdf.pages[0].extract_text()
    assert second["pdf_first"] in pdf.pages[-1].extract_text()
    axe(client)  # at a phone's, a tablet's and a desktop's width
