"""The paper channel in Chromium, in English and in French. A client with no account fills
in the citizenship form on one page (sent first without a given name, the page says what
is missing) and downloads the PDF to print, whose barcodes carry what was typed. A clerk
uploads the scan of a signed form with the day it came by mail, reads the application
beside the scan and files it: the case is filed on the day received. axe-core checks
every page at 320, 768 and 1280 pixels wide."""

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import FilePayload, Page, expect

from passage import clock
from passage.cases.models import Case
from passage.intake.catalogue import load_programs
from passage.intake.flows import engine
from passage.paper import reading, symbols
from passage.paper.document import FormDefinition
from passage.paperforms.catalogue import definition_for
from passage.paperforms.models import PaperScan
from passage.paperforms.printing import form_pdf
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.builders import create_officer
from tests.intake.flows.answers import answers_for
from tests.paperforms.builders import document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORM = "cit-grant-adult"
ZONE = ZoneInfo("America/Toronto")  # the department's, where forms are received
SCAN_DPI = 200
# The scan's page image has come from the server and is drawn.
PAGE_IMAGE_SHOWN = """() => [...document.querySelectorAll('main img')]
  .every(image => image.complete && image.naturalWidth > 0)"""

# The client's details besides the flow's questions: input id and what is typed or chosen.
DETAILS = {
    "place_of_birth": "Lyon",
    "uci": "1122334455",
    "phone": "+1 514 555 0100",
    "address-line1": "123 rue Saint-Denis",
    "address-line2": "app. 4",
    "address-city": "Montréal",
    "address-postal_code": "H2X 3K8",
}
CHOSEN = {"country_of_birth": "FR", "address-province": "QC"}


def words(language: str, *texts: str) -> list[str]:
    """The page's words in `language`, as the site translates them."""
    with translation.override(language):
        return [gettext(text) for text in texts]


def citizenship_form() -> FormDefinition:
    definition = definition_for(FORM)
    assert definition is not None
    return definition


def fill_in_answers(page: Page, definition: FormDefinition, answers: dict[str, Any]) -> None:
    """Answer every question of the form's one page from the flow's stored answers, by
    the inputs' ids (the same as the online application's)."""
    for question in definition.flow.questions:
        if question.id not in answers or answers[question.id] is None:
            continue
        value = answers[question.id]
        if question.type == "choice":
            page.locator(f"#{question.id}-{value}").check()
        elif question.type == "yes-no":
            page.locator(f"#{question.id}-{'yes' if value else 'no'}").check()
        elif question.type == "country":
            page.locator(f"#{question.id}").select_option(value)
        else:
            for name, text in engine.answer_inputs(question, value).items():
                page.locator(f"#{name}").fill(text)
    for name, text in DETAILS.items():
        page.locator(f"#{name}").fill(text)
    for name, value in CHOSEN.items():
        page.locator(f"#{name}").select_option(value)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_fills_in_the_citizenship_form_on_screen_and_downloads_it_to_print(
    page: Page, axe: AxeCheck, language: str
) -> None:
    load_programs()
    definition = citizenship_form()
    title = definition.paper.title.get(language)
    problem, print_form = words(language, "There was a problem", "Print the form")
    answers = answers_for("citizenship")  # born in 1990: the language and knowledge questions apply
    main = page.get_by_role("main")

    page.goto(path("paper-forms:forms", language))
    axe(page)
    main.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    axe(page)

    # Every answer but the given name: the page comes back saying what is missing, with
    # what was typed kept.
    fill_in_answers(page, definition, {**answers, "given_name": ""})
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        main.get_by_role("button", name=print_form).click()
    assert sent.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(problem)
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_attribute("href", "#given_name")
    expect(page.locator("#family_name")).to_have_value(answers["family_name"])
    expect(page.locator("#address-city")).to_have_value(DETAILS["address-city"])
    axe(page)

    # With the given name, "Print the form" downloads the PDF to print.
    page.locator("#given_name").fill(answers["given_name"])
    with page.expect_download() as download:
        main.get_by_role("button", name=print_form).click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename == f"{FORM}.pdf"

    # Its barcodes carry what the client typed.
    code, document = symbols.decode(reading.read_scan(pdf).texts)
    assert code == FORM
    assert document["applicant"]["given_name"] == answers["given_name"]
    assert document["applicant"]["address"]["city"] == DETAILS["address-city"]
    assert document["facts"]["language_clb"] == answers["language_clb"]


def signed_form_document(today: datetime.date) -> dict[str, Any]:
    """What a client's printed form carries, signed `today`."""
    signed = document()
    signed["facts"]["signing_date"] = today.isoformat()
    return signed


def scanned_page(pdf: bytes) -> bytes:
    """The form's last page, the one with the barcodes, as a scanner makes it: a PNG."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        last = document[len(document) - 1]
        image = last.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_clerk_reads_a_scanned_form_beside_the_scan_and_files_it(
    page: Page, axe: AxeCheck, language: str
) -> None:
    load_programs()
    today = clock.now().astimezone(ZONE).date()
    _printed, pdf = form_pdf(citizenship_form(), signed_form_document(today), now=clock.now())
    scan = scanned_page(pdf)
    clerk = create_officer(username="yves", first_name="Yves", password=PASSWORD)
    device = create_authenticator(clerk)  # staff sign in with a second factor
    read_form, as_read, file_it, filed, emailed = words(
        language,
        "Read the form",
        "The application as read",
        "File the application",
        "The application is filed under %(reference)s.",
        "The receipt was emailed to the client.",
    )
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="yves", password=PASSWORD, device=device)
    page.goto(path("paper-intake:scans", language))
    wait_for_design_system(page)
    axe(page)

    # The scan, the day it came (today) and how: by mail.
    page.locator("#id_scan").set_input_files(
        files=FilePayload(name="scan.png", mimeType="image/png", buffer=scan)
    )
    page.locator("#id_received_on_0").fill(str(today.day))
    page.locator("#id_received_on_1").fill(str(today.month))
    page.locator("#id_received_on_2").fill(str(today.year))
    page.locator("input[name='received_by'][value='mail']").check()
    main.get_by_role("button", name=read_form).click()

    # The application as read, beside the scan's page.
    read = main.get_by_role("region", name=as_read)
    expect(read).to_contain_text("Amélie")
    expect(read).to_contain_text("Tremblay-Nguyễn")
    expect(main.locator("img")).to_have_count(1)
    page.wait_for_function(PAGE_IMAGE_SHOWN)
    wait_for_design_system(page)
    axe(page)

    main.get_by_role("button", name=file_it).click()
    expect(page.get_by_role("status")).to_be_visible()
    paper = PaperScan.objects.get()
    assert paper.case is not None
    reference = paper.case.reference
    expect(page.get_by_role("status")).to_contain_text(filed % {"reference": reference})
    expect(main).to_contain_text(emailed)
    expect(main.get_by_role("button", name=file_it)).to_have_count(0)
    wait_for_design_system(page)
    axe(page)

    case = Case.objects.get(reference=reference)
    assert case.received_at.astimezone(ZONE).date() == today
    assert paper.state == PaperScan.State.FILED
    assert paper.received_by == "mail"
