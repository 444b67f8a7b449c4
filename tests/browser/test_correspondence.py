"""An officer works the correspondence queue in Chromium, in English and in French: the
email the classifier was not sure of, read beside its case, its category corrected, then
answered in the case's secure messages; axe-core checks every page at a phone's, a
tablet's and a desktop's width."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from passage.conversations.models import Message
from passage.correspondence.models import InboundEmail
from tests.accounts.builders import create_authenticator
from tests.browser.conftest import AxeCheck
from tests.browser.support import PASSWORD, SIGN_IN, path, sign_in, wait_for_design_system
from tests.correspondence.builders import email_about
from tests.tracker.builders import worked_case
from tests.workbench.builders import create_skilled_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def words(language: str, *texts: str) -> list[str]:
    """The page's words in `language`, as the site translates them."""
    with translation.override(language):
        return [gettext(text) for text in texts]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_corrects_an_email_s_category_and_answers_it_in_the_secure_messages(
    page: Page, axe: AxeCheck, language: str, settings: object
) -> None:
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0  # type: ignore[attr-defined]
    officer = create_skilled_officer(username="lea", first_name="Léa", password=PASSWORD)
    device = create_authenticator(officer)
    case = worked_case(officer)
    email = email_about(
        case,
        subject="Re: my file",
        body="Eight months and nothing. This is unacceptable, I want to speak to a manager.",
    )
    (correct, corrected, answer_label, send, answered) = words(
        language,
        "Correct the category",
        "The category is corrected.",
        "Answer",
        "Answer in the secure messages",
        "The answer is in the case's secure messages, and the email is closed.",
    )
    main = page.get_by_role("main")

    page.goto(SIGN_IN[language]["path"])
    sign_in(page, language=language, username="lea", password=PASSWORD, device=device)
    page.goto(path("correspondence:queue", language) + f"?team={email.team}")
    wait_for_design_system(page)
    expect(main.get_by_role("table")).to_contain_text("Re: my file")
    axe(page)

    # The queue writes the time where its reader is, not in UTC.
    zone = ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)  # type: ignore[attr-defined]
    received = email.received_at.astimezone(zone).strftime("%Y-%m-%d")
    main.get_by_role("link", name=received, exact=False).first.click()
    expect(main).to_contain_text("I want to speak to a manager")
    expect(main).to_contain_text(case.reference)
    wait_for_design_system(page)
    axe(page)

    main.locator("#id_category").select_option("complaint")
    main.get_by_role("button", name=correct).click()
    expect(page.get_by_role("status")).to_contain_text(corrected)

    main.get_by_label(answer_label).fill("Your file is with an officer; we will write by Friday.")
    main.get_by_role("button", name=send).click()
    expect(page.get_by_role("status")).to_contain_text(answered)
    wait_for_design_system(page)
    axe(page)

    email.refresh_from_db()
    assert (email.state, email.final_category) == (InboundEmail.State.CLOSED, "complaint")
    assert Message.objects.get(thread__case=case).body.startswith("Your file is with an officer")
