"""A client withdraws their application from the tracker: a page says what it means and
asks them to confirm; the case ends, its requests close, the withdrawal letter is on the
case page; a repeat acts once; no one else can."""

import uuid

import pytest

from passage.cases.models import Case, DocumentRequest
from passage.cases.status import CaseStatus, EventKind, Step
from passage.letters.models import DecisionLetter
from tests.builders import case_in_status, create_officer, create_user, same_page_parts
from tests.tracker.builders import ask_for_documents, case_page_url, client_of, text_of

pytestmark = pytest.mark.django_db


def withdrawal(**fields: object) -> dict[str, object]:
    return {
        "idempotency_key": uuid.uuid4().hex,
        "reason": "I found a job.",
        "confirm": "on",
        **fields,
    }


@pytest.fixture
def open_case() -> Case:
    return case_in_status(CaseStatus.IN_REVIEW, officer=create_officer())


def test_the_tracker_of_an_open_case_offers_to_withdraw_it(open_case):
    page = client_of(open_case.application.applicant).get(case_page_url("case", open_case))

    assert case_page_url("withdraw", open_case) in page.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Withdraw your application"), ("fr", "Retirer votre demande")],
)
def test_the_page_says_what_withdrawing_means_before_anything_happens(open_case, language, heading):
    page = client_of(open_case.application.applicant).get(
        case_page_url("withdraw", open_case, language)
    )

    assert page.status_code == 200
    assert heading in text_of(page.content)
    assert Case.objects.get(pk=open_case.pk).status == CaseStatus.IN_REVIEW


def test_withdrawing_ends_the_case_closes_its_requests_and_issues_the_letter(open_case):
    officer = open_case.assigned_to
    ask_for_documents(open_case, officer, Step.BIOMETRICS)
    client = client_of(open_case.application.applicant)

    response = client.post(case_page_url("withdraw", open_case), withdrawal(), follow=True)

    text = text_of(response.content)
    assert Case.objects.get(pk=open_case.pk).status == CaseStatus.WITHDRAWN
    assert not DocumentRequest.objects.filter(case=open_case).open().exists()
    event = open_case.events.get(kind=EventKind.WITHDRAWN)
    assert event.payload["reason"] == "I found a job."
    assert DecisionLetter.objects.get(case=open_case).kind == "withdrawal"
    assert "Your application is withdrawn. Your withdrawal letter is below." in text
    assert "Withdrawal letter" in text
    assert case_page_url("withdraw", open_case) not in response.content.decode()


def test_withdrawing_needs_the_confirmation_and_keeps_what_was_typed(open_case):
    page = client_of(open_case.application.applicant).post(
        case_page_url("withdraw", open_case), withdrawal(confirm="")
    )

    assert page.status_code == 422
    assert "Confirm that you want to withdraw the application." in text_of(page.content)
    assert "I found a job.</textarea>" in page.content.decode()
    assert Case.objects.get(pk=open_case.pk).status == CaseStatus.IN_REVIEW


def test_a_repeated_withdrawal_acts_once(open_case):
    client = client_of(open_case.application.applicant)
    form = withdrawal()

    client.post(case_page_url("withdraw", open_case), form)
    again = client.post(case_page_url("withdraw", open_case), form)

    assert again.status_code == 302
    assert open_case.events.filter(kind=EventKind.WITHDRAWN).count() == 1
    assert DecisionLetter.objects.filter(case=open_case).count() == 1


def test_an_ended_case_has_nothing_to_withdraw():
    case = case_in_status(CaseStatus.REFUSED)
    client = client_of(case.application.applicant)

    page = client.get(case_page_url("withdraw", case))
    posted = client.post(case_page_url("withdraw", case), withdrawal())

    assert page.status_code == posted.status_code == 302
    assert page["Location"] == case_page_url("case", case)
    assert not case.events.filter(kind=EventKind.WITHDRAWN).exists()


def test_someone_else_gets_the_same_404_as_for_a_case_that_does_not_exist(open_case):
    stranger = client_of(create_user())
    missing = uuid.uuid4()

    theirs = stranger.post(case_page_url("withdraw", open_case), withdrawal())
    none = stranger.post(
        case_page_url("withdraw", open_case).replace(str(open_case.public_id), str(missing)),
        withdrawal(),
    )

    assert theirs.status_code == none.status_code == 404
    assert same_page_parts(theirs.content.decode(), open_case.public_id) == same_page_parts(
        none.content.decode(), missing
    )
    assert Case.objects.get(pk=open_case.pk).status == CaseStatus.IN_REVIEW


def test_staff_do_not_withdraw_from_the_tracker(open_case):
    officer = client_of(open_case.assigned_to)

    assert officer.get(case_page_url("withdraw", open_case)).status_code == 404
