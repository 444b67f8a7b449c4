"""Secure messages in Chromium, in English and in French: an officer writes to a client
from the file, the client signs in and reads it (the officer then sees it read) and
replies with a PDF. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from passage.conversations.models import Message
from passage.outbox.models import OutboxMessage
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import MINIMAL_PDF, create_user
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each person reads and clicks, in each language.
WORDS = {
    "en": {
        "to_messages": "Messages with the client",
        "messages": "Messages",
        "subject": "Subject",
        "message": "Message",
        "attach": "Attach a file (optional)",
        "send": "Send the message",
        "reply": "Send the reply",
        "sent": "Your message was sent.",
        "officer": "Officer",
        "read_by_you": "Read by you",
        "read_by_client": "Read by the client on",
        "read_by_officer": "Read by the officer on",
    },
    "fr": {
        "to_messages": "Messages avec le client",
        "messages": "Messages",
        "subject": "Objet",
        "message": "Message",
        "attach": "Joindre un fichier (facultatif)",
        "send": "Envoyer le message",
        "reply": "Envoyer la réponse",
        "sent": "Votre message a été envoyé.",
        "officer": "Agent",
        "read_by_you": "Lu par vous",
        "read_by_client": "Lu par le client le",
        "read_by_officer": "Lu par l\u2019agent le",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_writes_the_client_reads_and_replies_with_a_pdf(
    new_page: NewPage, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(
        username="lea", first_name="Léa", last_name="Tremblay", password=PASSWORD
    )
    device = create_authenticator(officer)
    client = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    case = ready_case(submitter=client)

    # The officer opens the file and goes to its messages.
    officer_page = new_page()
    file_path = path("workbench:case", language, case_id=case.public_id)
    officer_page.goto(f"{SIGN_IN[language]['path']}?next={file_path}")
    sign_in(officer_page, language=language, username="lea", password=PASSWORD, device=device)
    officer_page.get_by_role("link", name=words["to_messages"]).click()
    expect(officer_page.get_by_role("heading", level=1)).to_have_text(words["messages"])
    axe(officer_page)

    # They write: the client is told by email that a message waits, with a link only.
    officer_page.get_by_label(words["subject"]).fill("Proof of funds")
    officer_page.get_by_label(words["message"], exact=False).first.fill(
        "Please send a bank statement for the last three months."
    )
    officer_page.get_by_role("button", name=words["send"]).click()
    expect(officer_page.get_by_role("status")).to_have_text(words["sent"])
    expect(officer_page.get_by_role("heading", level=1)).to_have_text("Proof of funds")
    axe(officer_page)
    email = OutboxMessage.objects.get(template="new_message")
    # The email names the application (program, the reference's end), nothing of the message.
    assert (email.to_email, email.language, sorted(email.context)) == (
        client.email,
        language,
        ["link", "program", "reference_end"],
    )

    # The client signs in, finds the conversation marked new, and reads it.
    client_page = new_page()
    messages_path = path("conversations:list", language, case_id=case.public_id)
    client_page.goto(f"{SIGN_IN[language]['path']}?next={messages_path}")
    sign_in(client_page, language=language, username="amelie", password=PASSWORD)
    expect(client_page.get_by_role("heading", level=1)).to_have_text(words["messages"])
    axe(client_page)
    client_page.get_by_role("link", name="Proof of funds").click()
    main = client_page.get_by_role("main")
    expect(main).to_contain_text("Please send a bank statement for the last three months.")
    expect(main).to_contain_text(words["officer"])
    expect(main).to_contain_text(words["read_by_you"])
    expect(main).not_to_contain_text("Tremblay")
    axe(client_page)

    # The officer's page now shows the message read.
    officer_page.reload()
    expect(officer_page.get_by_role("main")).to_contain_text(words["read_by_client"])

    # The client replies with a PDF.
    client_page.get_by_label(words["message"], exact=False).first.fill("Here is my statement.")
    client_page.get_by_label(words["attach"]).set_input_files(
        files=[{"name": "statement.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    client_page.get_by_role("button", name=words["reply"]).click()
    expect(client_page.get_by_role("status")).to_have_text(words["sent"])
    expect(client_page.get_by_role("link", name="statement.pdf")).to_be_visible()
    axe(client_page)

    # The officer sees the reply and its file; the client then sees the officer read it.
    officer_page.reload()
    expect(officer_page.get_by_role("main")).to_contain_text("Here is my statement.")
    with officer_page.expect_download() as download:
        officer_page.get_by_role("link", name="statement.pdf").click()
    assert download.value.suggested_filename == "statement.pdf"
    client_page.reload()
    expect(client_page.get_by_role("main")).to_contain_text(
        re.compile(re.escape(words["read_by_officer"]))
    )

    reply = Message.objects.get(body="Here is my statement.")
    assert reply.author_role == "applicant"
    assert reply.attachments.get().content_type == "application/pdf"


def test_a_client_writes_with_a_file_without_javascript(new_page: NewPage) -> None:
    client = create_user(username="amelie", password=PASSWORD)
    case = ready_case(submitter=client)
    page = new_page(javascript=False)
    messages_path = path("conversations:list", "en", case_id=case.public_id)
    page.goto(f"{SIGN_IN['en']['path']}?next={messages_path}")
    sign_in(page, language="en", username="amelie", password=PASSWORD)

    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a subject.")

    page.get_by_label("Subject").fill("My new address")
    page.get_by_label("Message", exact=False).first.fill("I moved to Montréal.")
    page.get_by_label("Attach a file (optional)").set_input_files(
        files=[{"name": "lease.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="Send the message").click()

    expect(page.get_by_role("status")).to_have_text("Your message was sent.")
    expect(page.get_by_role("link", name="lease.pdf")).to_be_visible()
    assert Message.objects.get().attachments.get().filename == "lease.pdf"
