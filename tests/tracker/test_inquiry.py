"""A client asks about an application past its inquiry date: the question becomes an
inquiry in the messages and an event on the case, and shows in the queue of the officer
who has the file until the department answers. Before that date, the page says when."""

import uuid
from datetime import timedelta

import pytest

from passage import clock
from passage.cases.models import Case
from passage.cases.status import CaseStatus, EventKind
from passage.conversations import services as conversations
from passage.conversations.models import Thread
from passage.workbench.presenters.queue import officer_queue
from passage.workbench.presenters.supervision import supervisor_overview
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import case_in_status, create_user, give_to
from tests.tracker.builders import case_page_url, client_of, text_of
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db


def question(text: str = "Is anything missing from my file?") -> dict:
    return {"idempotency_key": uuid.uuid4().hex, "question": text}


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def late_case() -> Case:
    """A file received long past the program's service standard (56 days for IEC)."""
    return ready_case(now=clock.now() - timedelta(days=120))


def test_before_the_inquiry_date_the_page_says_when_and_sends_nothing():
    case = ready_case()
    client = client_of(case.application.applicant)

    page = client.get(case_page_url("inquiry", case))
    posted = client.post(case_page_url("inquiry", case), question())

    assert "If yours is not, you can ask about it here from that day." in text_of(page.content)
    assert 'name="question"' not in page.content.decode()
    assert posted.status_code == 422
    assert not Thread.objects.filter(case=case).exists()
    assert (
        case_page_url("inquiry", case)
        not in client_of(case.application.applicant)
        .get(case_page_url("case", case))
        .content.decode()
    )


@pytest.mark.parametrize(
    ("language", "sent"),
    [
        ("en", "Your question was sent."),
        ("fr", "Votre question a été envoyée."),
    ],
)
def test_past_the_inquiry_date_the_question_goes_to_the_officer_who_has_the_file(language, sent):
    case = late_case()
    officer = create_skilled_officer()
    give_to(case, officer)
    client = client_of(case.application.applicant)
    assert (
        case_page_url("inquiry", case, language)
        in client.get(case_page_url("case", case, language)).content.decode()
    )

    response = client.post(case_page_url("inquiry", case, language), question(), follow=True)

    assert sent in text_of(response.content)
    thread = Thread.objects.get(case=case, kind="inquiry")
    assert thread.messages.get().body == "Is anything missing from my file?"
    event = case.events.get(kind=EventKind.INQUIRY_SENT)
    assert event.payload["thread"] == str(thread.public_id)
    row = next(row for row in officer_queue(person=officer).rows if row.case_id == case.public_id)
    assert row.inquiry
    assert "Inquiry" in signed_in_with_mfa(officer).get("/en/workbench/").content.decode()


def test_an_answered_inquiry_leaves_the_queue():
    case = late_case()
    officer = create_skilled_officer()
    give_to(case, officer)
    client_of(case.application.applicant).post(case_page_url("inquiry", case), question())
    thread = Thread.objects.get(case=case, kind="inquiry")

    conversations.post_message(
        case_id=case.public_id,
        thread_id=thread.public_id,
        person=officer,
        body="Nothing is missing; an officer is assessing it this week.",
        idempotency_key=uuid.uuid4().hex,
    )

    row = next(row for row in officer_queue(person=officer).rows if row.case_id == case.public_id)
    assert not row.inquiry


def test_a_question_needs_words_and_is_sent_once():
    case = late_case()
    client = client_of(case.application.applicant)
    form = question()

    empty = client.post(case_page_url("inquiry", case), question(""))
    client.post(case_page_url("inquiry", case), form)
    client.post(case_page_url("inquiry", case), form)

    assert empty.status_code == 422
    assert "Write your question." in text_of(empty.content)
    assert Thread.objects.filter(case=case, kind="inquiry").count() == 1
    assert case.events.filter(kind=EventKind.INQUIRY_SENT).count() == 1


def test_an_ended_case_and_other_people_have_no_inquiry_page():
    ended = case_in_status(CaseStatus.REFUSED)
    case = late_case()

    assert (
        client_of(ended.application.applicant).get(case_page_url("inquiry", ended)).status_code
        == 302
    )
    assert client_of(create_user()).get(case_page_url("inquiry", case)).status_code == 404


def test_an_inquiry_on_a_file_nobody_has_shows_on_the_supervisors_overview():
    case = late_case()
    client_of(case.application.applicant).post(case_page_url("inquiry", case), question())

    overview = supervisor_overview(person=create_supervisor())

    assert [file.reference for file in overview.inquiries_nobody_has] == [case.reference]
