"""What a client does on their own from the tracker, in Chromium, in English and in French:
send a document nobody asked for and find it among the files they sent, then ask about an
application past its inquiry date and find the question in their messages. axe-core
checks each page (at a phone's, a tablet's and a desktop's width)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from passage import clock
from passage.cases.status import EventKind
from passage.conversations.models import Thread
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import MINIMAL_PDF, create_user
from tests.workbench.builders import ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "description": "What are these documents?",
        "files": "Files (PDF, JPEG or PNG)",
        "send": "Send the documents",
        "received": "We received your documents. An officer will look at them.",
        "sent": "Documents you sent",
        "ask": "Ask about your application",
        "question": "Your question",
        "send_question": "Send the question",
        "asked": "Your question was sent.",
    },
    "fr": {
        "description": "De quels documents s\u2019agit-il\u00a0?",
        "files": "Fichiers (PDF, JPEG ou PNG)",
        "send": "Envoyer les documents",
        "received": "Nous avons reçu vos documents. Un agent les examinera.",
        "sent": "Documents que vous avez envoyés",
        "ask": "Poser une question sur votre demande",
        "question": "Votre question",
        "send_question": "Envoyer la question",
        "asked": "Votre question a été envoyée.",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_sends_a_document_and_asks_about_a_late_application(
    new_page: NewPage, axe: AxeCheck, settings: object, tmp_path, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    applicant = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    # Received long past the program's service standard: its inquiry date has passed.
    case = ready_case(submitter=applicant, now=clock.now() - timedelta(days=120))
    passport = tmp_path / "new-passport.pdf"
    passport.write_bytes(MINIMAL_PDF)
    page = new_page()
    case_path = path("tracker:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username="amelie", password=PASSWORD)
    main = page.get_by_role("main")

    other = main.locator("section[aria-labelledby='send-other']")
    other.get_by_label(words["description"]).fill("My new passport")
    other.get_by_label(words["files"]).set_input_files(str(passport))
    other.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["received"])
    sent = main.get_by_role("heading", name=words["sent"])
    expect(sent).to_be_visible()
    expect(main.get_by_role("link", name="My new passport")).to_be_visible()
    assert case.events.filter(kind=EventKind.DOCUMENTS_SENT).exists()
    axe(page)

    main.get_by_role("link", name=words["ask"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["ask"])
    axe(page)
    page.get_by_label(words["question"]).fill("Is anything missing from my file?")
    main.get_by_role("button", name=words["send_question"]).click()
    expect(page.get_by_role("status")).to_contain_text(words["asked"])
    expect(main).to_contain_text("Is anything missing from my file?")
    thread = Thread.objects.get(case=case, kind="inquiry")
    expect(page).to_have_url(re.compile(re.escape(str(thread.public_id))))
    axe(page)
