"""A client withdraws their application from the tracker, in Chromium, in English and in
French: they read what it means, confirm, and find the withdrawal letter on the case
page. axe-core checks each page."""

import re

import pytest
from playwright.sync_api import expect

from passage.cases.models import Case
from passage.cases.status import CaseStatus
from tests.browser.conftest import AxeCheck, NewPage
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in
from tests.builders import create_user
from tests.workbench.builders import ready_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "withdraw_link": "Withdraw your application",
        "reason": "Why are you withdrawing? (optional)",
        "confirm": "I understand: a withdrawn application is not processed any further",
        "button": "Withdraw the application",
        "error": "Confirm that you want to withdraw the application.",
        "done": "Your application is withdrawn. Your withdrawal letter is below.",
        "letter": "Withdrawal letter",
    },
    "fr": {
        "withdraw_link": "Retirer votre demande",
        "reason": "Pourquoi retirez-vous votre demande\u00a0? (facultatif)",
        "confirm": "Je comprends\u00a0: une demande retirée n\u2019est plus traitée",
        "button": "Retirer la demande",
        "error": "Confirmez que vous voulez retirer la demande.",
        "done": "Votre demande est retirée. Votre lettre de retrait se trouve ci-dessous.",
        "letter": "Lettre de retrait",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_withdraws_their_application_and_reads_the_letter(
    new_page: NewPage, axe: AxeCheck, settings: object, language: str
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    words = WORDS[language]
    applicant = create_user(username="amelie", password=PASSWORD, preferred_language=language)
    case = ready_case(submitter=applicant)
    page = new_page()
    case_path = path("tracker:case", language, case_id=case.public_id)
    page.goto(f"{SIGN_IN[language]['path']}?next={case_path}")
    sign_in(page, language=language, username="amelie", password=PASSWORD)
    main = page.get_by_role("main")

    main.get_by_role("link", name=words["withdraw_link"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["withdraw_link"])
    axe(page)
    page.get_by_label(words["reason"]).fill("I found a job.")
    main.get_by_role("button", name=words["button"]).click()
    expect(page.get_by_role("alert")).to_contain_text(words["error"])
    assert Case.objects.get(pk=case.pk).status != CaseStatus.WITHDRAWN
    axe(page)

    page.get_by_label(re.compile("^" + re.escape(words["confirm"]))).check()
    main.get_by_role("button", name=words["button"]).click()
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(page.get_by_role("status")).to_contain_text(words["done"])
    expect(main.get_by_role("heading", name=words["letter"])).to_be_visible()
    expect(main.get_by_role("link", name=words["withdraw_link"])).to_have_count(0)
    axe(page)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN
