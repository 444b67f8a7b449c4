"""Pages on a small phone (320 CSS pixels wide, WCAG 1.4.10 Reflow), in Chromium, in
English and in French: a client's tracker of a file with a document request and a history,
their messages, their applications and their representatives; the officer's page of the
same file; a representative's clients; a supervisor's pages. No page scrolls sideways,
every step's state shows whole, and a table wider than the screen sits in a box that a
keyboard reaches with Tab and scrolls with the arrow keys. The `axe` fixture checks each
page at a tablet's and a desktop's width too."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.status import Step
from passage.intake import representation
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import (
    PASSWORD,
    PHONE,
    SIGN_IN,
    assert_no_horizontal_overflow,
    path,
    sign_in,
    wait_for_design_system,
)
from tests.builders import create_user
from tests.conversations.builders import start
from tests.tracker.builders import ask_for_documents, worked_case
from tests.workbench.builders import create_skilled_officer, create_supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": PHONE, "height": 640}
# A long unbroken address in a message, which must wrap rather than widen the page.
LINK = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/application/"
    "medical-police/medical-exams/requirements-permanent-residents.html"
)

WORDS = {
    "en": {"medical": "Medical exam", "waiting": "Waiting on you"},
    "fr": {"medical": "Examen médical", "waiting": "En attente de votre part"},
}

# Whether the element shows whole: inside the viewport, inside every box around it that
# clips what sticks out of it, and its own text inside it.
SHOWS_WHOLE = """element => {
  const box = element.getBoundingClientRect();
  if (box.left < -0.5 || box.right > document.documentElement.clientWidth + 0.5) return false;
  if (element.scrollWidth > element.clientWidth + 1) return false;
  for (let around = element.parentElement; around; around = around.parentElement) {
    if (getComputedStyle(around).overflowX === 'visible') continue;
    const edges = around.getBoundingClientRect();
    if (box.left < edges.left - 0.5 || box.right > edges.right + 0.5) return false;
  }
  return true;
}"""

# Someone the client authorised to act for them, with a long address.
COUNSEL_EMAIL = "immigration-counsel.jean-tremblay@cabinet-tremblay-associes.example.com"

SCROLLS_SIDEWAYS = "element => element.scrollWidth > element.clientWidth"


def authorise_counsel(client: User) -> None:
    """The client authorises a representative (username "counsel") to act for them."""
    create_user(Role.REPRESENTATIVE, username="counsel", email=COUNSEL_EMAIL, password=PASSWORD)
    representation.authorise_representative(client=client, email=COUNSEL_EMAIL)


def assert_step_states_show_whole(page: Page) -> None:
    tags = page.get_by_role("main").get_by_role("table").first.locator(".gc-tag")
    expect(tags.first).to_be_visible()
    for tag in tags.all():
        assert tag.evaluate(SHOWS_WHOLE), f"The step state {tag.inner_text()!r} is cut"


def tab_to(page: Page, target: Locator, *, most: int = 400) -> None:
    """Press Tab from the top of the page until `target` has the focus."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    handle = target.element_handle()
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    pytest.fail(f"Tab never reached {target}", pytrace=False)


def assert_wide_tables_scroll_by_keyboard(page: Page) -> int:
    """Every table box that is wider than the screen is a named region that Tab reaches,
    shows its focus, and scrolls with the right arrow key; returns how many there are."""
    wrappers = [
        wrapper
        for wrapper in page.locator(".gc-table-wrapper").all()
        if wrapper.is_visible() and wrapper.evaluate(SCROLLS_SIDEWAYS)
    ]
    for wrapper in wrappers:
        expect(wrapper).to_have_attribute("role", "region")
        expect(wrapper).to_have_accessible_name(re.compile(r"\w"))
        tab_to(page, wrapper)
        outline = wrapper.evaluate("element => getComputedStyle(element).outlineStyle")
        assert outline not in ("none", ""), "The table's box does not show the keyboard focus"
        before = wrapper.evaluate("element => element.scrollLeft")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([element, before]) => element.scrollLeft > before",
            arg=[wrapper.element_handle(), before],
        )
    return len(wrappers)


def check_small_screen(page: Page) -> None:
    wait_for_design_system(page)
    assert_no_horizontal_overflow(page)
    assert_wide_tables_scroll_by_keyboard(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_follows_their_file_on_a_small_phone(
    new_page: NewPage, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    officer = create_skilled_officer(office="vancouver")
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.MEDICAL)
    start(case, officer, subject="Medical exam", body=f"The requirements: {LINK}")
    client = case.application.applicant
    authorise_counsel(client)
    page = new_page()
    page.set_viewport_size(SMALL_PHONE)

    # The tracker: the steps, each state whole, the request and the history.
    case_path = path("tracker:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username=client.username, password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    main = page.get_by_role("main")
    medical = main.get_by_role("table").get_by_role("row").filter(has_text=words["medical"])
    expect(medical).to_contain_text(words["waiting"])
    expect(main.locator("section[aria-labelledby^='request-']")).to_have_count(1)
    expect(main.locator(".gc-history li").first).to_be_visible()
    check_small_screen(page)
    assert_step_states_show_whole(page)
    axe(page)

    # The messages, and the one message with its long address.
    page.goto(path("conversations:list", language, case_id=case.public_id))
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    check_small_screen(page)
    axe(page)
    page.get_by_role("link", name="Medical exam").click()
    expect(page.get_by_role("main")).to_contain_text(LINK)
    check_small_screen(page)
    axe(page)

    # Their applications, the applicant's home, and the people who act for them.
    page.goto(path("intake:my-applications", language))
    expect(page.get_by_role("main")).to_contain_text(case.reference)
    check_small_screen(page)
    axe(page)
    page.goto(path("intake:representatives", language))
    expect(page.get_by_role("main").get_by_role("table")).to_contain_text(COUNSEL_EMAIL)
    check_small_screen(page)
    axe(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_representative_reads_their_clients_on_a_small_phone(
    page: Page, axe: AxeCheck, language: str
) -> None:
    case = worked_case()
    authorise_counsel(case.application.applicant)
    page.set_viewport_size(SMALL_PHONE)

    clients_path = path("intake:clients", language)
    page.goto(f"{SIGN_IN[language]['path']}?next={clients_path}")
    sign_in(page, language=language, username="counsel", password=PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(clients_path) + "$"))
    check_small_screen(page)
    axe(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_works_a_file_on_a_small_phone(
    page: Page, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.MEDICAL)
    page.set_viewport_size(SMALL_PHONE)

    case_path = path("workbench:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    wait_for_design_system(page)
    assert_no_horizontal_overflow(page)
    # The file's tables are wider than a small phone: at least one scrolls, by keyboard.
    assert assert_wide_tables_scroll_by_keyboard(page) >= 1
    axe(page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_supervisor_reads_their_pages_on_a_small_phone(
    page: Page, axe: AxeCheck, language: str
) -> None:
    officer = create_skilled_officer(first_name="Marie-Élisabeth", last_name="Beauchemin-Laflamme")
    worked_case(officer)
    supervisor = create_supervisor(username="robert", password=PASSWORD)
    device = create_authenticator(supervisor)
    page.set_viewport_size(SMALL_PHONE)

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="robert", password=PASSWORD, device=device)
    for name in ("workbench:overview", "workbench:officers", "workbench:files", "workbench:jobs"):
        page.goto(path(name, language))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_small_screen(page)
        axe(page)
