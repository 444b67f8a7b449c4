"""The case status tracker in Chromium, in English and in French: a client signs in, links
an application with the code emailed (through a real SMTP server on loopback) to the
address on file, reads its steps, answers a document request by uploading a PDF, then
reads an officer's message and replies. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from passage import clock
from passage.cases.models import Case, DocumentRequest
from passage.cases.status import Step, StepState
from passage.outbox.delivery import deliver_due_emails
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.builders import MINIMAL_PDF, create_user
from tests.conversations.builders import start
from tests.outbox.smtp import SmtpServer
from tests.tracker.builders import ask_for_documents, officer_in, worked_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# What the client reads on the tracker, in each language (French: already translated).
WORDS = {
    "en": {
        "steps": "Steps",
        "medical": "Medical exam",
        "waiting": "Waiting on you",
        "in_progress": "In progress",
        "status": "In review",
        "history": "History",
        "received": "We received your documents. An officer will look at them.",
        "unread": "You have 1 unread message.",
        "messages": "Read and send messages",
        "question": "Which clinic did you go to?",
        "answer": "The panel physician in Lyon.",
    },
    "fr": {
        "steps": "Étapes",
        "medical": "Examen médical",
        "waiting": "En attente de votre part",
        "in_progress": "En cours",
        "status": "En cours d\u2019examen",
        "history": "Historique",
        "received": "Nous avons reçu vos documents. Un agent les examinera.",
        "unread": "Vous avez 1 message non lu.",
        "messages": "Lire et envoyer des messages",
        "question": "À quelle clinique êtes-vous allé?",
        "answer": "Le médecin désigné à Lyon.",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_links_a_case_reads_its_steps_sends_documents_and_answers_a_message(
    new_page: NewPage, axe: AxeCheck, settings: object, smtp_server: SmtpServer, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL)
    create_user(username="amelie", password=PASSWORD, preferred_language=language)

    # The client signs in and goes to the linking page.
    page = new_page()
    link_path = path("tracker:link", language)
    page.goto(f"{SIGN_IN[language]['path']}?next={link_path}")
    sign_in(page, language=language, username="amelie", password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(link_path) + "$"))
    axe(page)

    # Step 1: the application number and the date of birth.
    page.locator("input[name=reference]").fill(case.reference)
    page.locator("input[name=date_of_birth_0]").fill("28")
    page.locator("input[name=date_of_birth_1]").fill("2")
    page.locator("input[name=date_of_birth_2]").fill("1998")
    page.get_by_role("main").get_by_role("button").click()
    expect(page).to_have_url(re.compile(re.escape(link_path) + UUID + "/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)

    # Step 2: the code from the email, delivered by the outbox worker over SMTP to the
    # address on the application.
    deliver_due_emails(now=clock.now())
    codes = [
        (received, re.search(r"^\s*(\d{6})\s*$", received.body, re.MULTILINE))
        for received in smtp_server.inbox.received
    ]
    [(email, code)] = [(received, found) for received, found in codes if found]
    assert email.recipients == [case.application.email]
    page.locator("input[name=code]").fill(code.group(1))
    page.get_by_role("main").get_by_role("button").click()
    case_path = path("tracker:case", language, case_id=case.public_id)
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    axe(page)

    # The tracker: the case's number, its status and its steps.
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(main.get_by_text(words["status"], exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name=words["steps"])).to_be_visible()
    expect(main.get_by_role("heading", name=words["history"])).to_be_visible()
    steps = main.get_by_role("table")
    expect(steps.get_by_role("row")).to_have_count(1 + len(Step))
    medical = steps.get_by_role("row").filter(has_text=words["medical"])
    expect(medical).to_contain_text(words["waiting"])

    # The document request: upload a PDF with a plain form.
    section = main.locator(f"section[aria-labelledby='request-{request.pk}']")
    expect(section.get_by_role("heading", level=3)).to_contain_text(
        "Pacific time" if language == "en" else "heure du Pacifique"
    )
    section.locator("input[type=file]").set_input_files(
        {"name": "medical.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    section.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    axe(page)

    # Acknowledged: the request is gone from the page and the step is back with us.
    expect(page.get_by_role("status")).to_contain_text(words["received"])
    # Only the form of documents nobody asked for is left.
    expect(main.locator("section[aria-labelledby^='request-']")).to_have_count(0)
    expect(main.locator("input[type=file]")).to_have_count(1)
    medical = page.get_by_role("table").get_by_role("row").filter(has_text=words["medical"])
    expect(medical).to_contain_text(words["in_progress"])
    assert DocumentRequest.objects.get(pk=request.pk).answered_at is not None
    assert Case.objects.get(pk=case.pk).medical == StepState.IN_PROGRESS

    # An officer writes; the client reads the message from the tracker and replies.
    question = start(case, officer, subject="Medical exam", body=words["question"])
    page.reload()
    wait_for_design_system(page)
    expect(main).to_contain_text(words["unread"])
    main.get_by_role("link", name=words["messages"]).click()
    axe(page)
    page.get_by_role("link", name="Medical exam").click()
    expect(page.get_by_role("main")).to_contain_text(words["question"])
    axe(page)
    page.get_by_role("main").locator("textarea").fill(words["answer"])
    page.get_by_role("main").locator("button[type=submit]").last.click()
    expect(page.get_by_role("main")).to_contain_text(words["answer"])
    axe(page)
    assert question.thread.messages.filter(author__username="amelie").get().body == words["answer"]
    assert question.reads.filter(person__username="amelie").exists()
