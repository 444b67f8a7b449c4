"""Steps of an applicant's journey in the browser, shared by tests/browser/test_apply_*.py.

Inputs are found by their ids and the buttons by what they do (`value="continue"`), so the
steps read the same in English and French; the tests check the words people read."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from passage.intake.catalogue import document_checklist
from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.intake.models import Draft
from passage.programs.questions import Question

CONTINUE = "main button[value='continue']"
LATER = "main button[value='later']"
ADD = "main button[value='add']"


def url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"intake:{name}", kwargs=kwargs)


def current_page_id(page: Page) -> str:
    return current_page_id_of(page.url)


def start_application(page: Page, *, program: str, language: str) -> Draft:
    """From the list of programs, start one; return the new draft."""
    page.locator(f"form[action='{url('start', language, program=program)}'] button").click()
    expect(page.locator(CONTINUE)).to_be_visible()
    return Draft.objects.latest("created_at")


def answer_page(page: Page, program: str, answers: dict[str, Any]) -> None:
    """Fill in the page open with the answers to its questions (without sending it,
    except to add rows of periods or people)."""
    flow = flow_for(program)
    assert flow is not None
    current = flow.page(current_page_id(page))
    assert current is not None, page.url
    for question in current.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.type == "choice":
            page.locator(f"#{question.id}-{value}").check()
        elif question.type == "yes-no":
            page.locator(f"#{question.id}-{'yes' if value else 'no'}").check()
        elif question.type == "country":
            page.locator(f"#{question.id}").select_option(value)
        elif question.type == "people":
            fill_people(page, question, value)
        elif question.type == "periods":
            fill_periods(page, question, value)
        else:
            for name, text in engine.answer_inputs(question, value).items():
                page.locator(f"#{name}").fill(text)


def fill_periods(page: Page, question: Question, periods: list[dict[str, Any]]) -> None:
    """One row per period, "Add another" between them (with or without JavaScript)."""
    for index, period in enumerate(periods):
        if index > 0:
            page.locator(ADD).click()
            expect(page.locator(f"#{question.id}-{index}-from-day")).to_be_visible()
        for name, text in engine.answer_inputs(question, [period]).items():
            name = name.replace(f"{question.id}-0-", f"{question.id}-{index}-", 1)
            field = page.locator(f"#{name}")
            if name.endswith("-credited"):
                field.check()
                continue
            field.fill(text)
            # The header redraws as a new page loads: a value typed during it can be lost.
            if field.input_value() != text:
                field.fill(text)
            expect(field).to_have_value(text)


def fill_people(page: Page, question: Question, people: list[dict[str, Any]]) -> None:
    """One row per person, "Add another" between them; the relationship is a radio."""
    from tests.browser.support import wait_for_design_system

    question_id = question.id
    for index, person in enumerate(people):
        if index > 0:
            page.locator(ADD).click()
            expect(page.locator(f"#{question_id}-{index}-given_name")).to_be_visible()
            # The header redraws as the new page loads; typing during that can lose focus.
            wait_for_design_system(page)
        for name, text in engine.answer_inputs(question, [person]).items():
            name = name.replace(f"{question_id}-0-", f"{question_id}-{index}-", 1)
            if name.endswith("-relationship"):
                page.locator(f"#{name}-{text}").check()
            else:
                page.locator(f"#{name}").fill(text)
                expect(page.locator(f"#{name}")).to_have_value(text)


def remove_person(page: Page, question_id: str, index: int) -> None:
    """Press the "Remove" button of one row of people."""
    from tests.browser.support import wait_for_design_system

    rows = page.locator(f"main [id^='{question_id}-'][id$='-given_name']").count()
    page.locator(f"main button[value='remove-{question_id}-{index}']").click()
    # The page comes back with one row fewer.
    expect(page.locator(f"main [id^='{question_id}-'][id$='-given_name']")).to_have_count(rows - 1)
    wait_for_design_system(page)


def documents_segment(language: str) -> str:
    address = url("documents", language, draft_id="00000000-0000-0000-0000-000000000000")
    return address.rstrip("/").split("/")[-1]


def choose_file(page: Page, kind: str, name: str, content: bytes) -> None:
    page.locator(f"#document-{kind}").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}]
    )


def upload_required_documents(page: Page, program: str) -> None:
    """Choose a small PDF for each required document of the checklist (without sending)."""
    from tests.builders import MINIMAL_PDF

    for item in document_checklist(program):
        if item.required:
            choose_file(page, item.kind, f"{item.kind}.pdf", MINIMAL_PDF)


def answer_until(
    page: Page,
    *,
    program: str,
    answers: dict[str, Any],
    stop: Callable[[str], bool],
    check: Callable[[Page], None],
) -> None:
    """Answer page after page until `stop(page_id)` says so, running `check` on each; on
    the documents page, upload the required documents."""
    for _ in range(40):
        page_id = current_page_id(page)
        if stop(page_id):
            return
        check(page)
        if page_id in (documents_segment("en"), documents_segment("fr")):
            upload_required_documents(page, program)
        else:
            answer_page(page, program, answers)
        page.locator(CONTINUE).click()
        try:
            page.wait_for_url(lambda address, left=page_id: current_page_id_of(address) != left)
        except PlaywrightTimeout:
            # Say what the page says (an error summary, most likely), not only that it stayed.
            shown = page.locator("main").inner_text(timeout=2_000)
            raise AssertionError(f"page {page_id!r} did not move on; it shows: {shown}") from None
    raise AssertionError("the journey did not end")


def current_page_id_of(address: str) -> str:
    return address.split("?")[0].split("#")[0].rstrip("/").split("/")[-1]


SIGN_OUT = {"en": "Sign out", "fr": "Se déconnecter"}


def check_answers_segment(language: str) -> str:
    address = url("check", language, draft_id="00000000-0000-0000-0000-000000000000")
    return address.rstrip("/").split("/")[-1]


def sign_out_and_resume(
    page: Page, *, draft: Draft, language: str, username: str, password: str
) -> None:
    """Save and come back later, sign out, sign in again and resume from My applications."""
    from tests.browser.support import sign_in, wait_for_design_system

    page.locator(LATER).click()
    page.wait_for_url(f"**{url('my-applications', language)}")
    wait_for_design_system(page)
    page.get_by_role("button", name=SIGN_OUT[language]).click()
    page.goto(url("my-applications", language))
    sign_in(page, language=language, username=username, password=password)
    # The header redraws as the page loads; a click during that can miss the link.
    wait_for_design_system(page)
    page.locator(f"a[href='{url('resume', language, draft_id=draft.public_id)}']").click()


def declare_and_submit(page: Page) -> None:
    page.locator("#declaration").check()
    page.locator("main form button[type='submit']").last.click()


PROBLEM = {"en": "There was a problem", "fr": "Un problème est survenu"}


def apply_from_start_to_confirmation(
    page: Page,
    *,
    program: str,
    language: str,
    answers: dict[str, Any],
    username: str,
    password: str,
    check: Callable[[Page], None],
) -> Draft:
    """Sign in, start, send the first page empty and see why, answer every page, check
    the answers, declare, submit and land on the confirmation. `check` runs on each page."""
    from tests.browser.support import sign_in

    page.goto(url("programs", language))
    sign_in(page, language=language, username=username, password=password)
    check(page)
    draft = start_application(page, program=program, language=language)

    page.locator(CONTINUE).click()
    expect(page.get_by_role("alert")).to_contain_text(PROBLEM[language])
    check(page)

    segment = check_answers_segment(language)
    answer_until(page, program=program, answers=answers, stop=lambda p: p == segment, check=check)
    check(page)
    declare_and_submit(page)
    expect(page.locator(".gc-reference")).to_be_visible()
    check(page)
    draft.refresh_from_db()
    return draft
