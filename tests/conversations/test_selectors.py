"""Reading messages: unread counts per person, read receipts that name no officer, and
files visible only with their case."""

import uuid
from datetime import timedelta

import pytest

from passage import clock
from passage.cases.models import Case
from passage.conversations import selectors, services
from passage.conversations.models import MessageAttachment
from tests.builders import MINIMAL_PDF, create_user
from tests.conversations.builders import add_party, case_with_applicant, reply, revoke, start
from tests.workbench.builders import create_skilled_officer as officer_of_the_office
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


def test_unread_counts_the_messages_by_others_not_yet_opened() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    question = start(case, applicant)
    reply(question, officer, body="First answer")
    start(case, officer, subject="Documents", body="Please send your passport.")

    assert selectors.unread_count(person=applicant, case_id=case.public_id) == 2
    assert selectors.unread_count(person=officer, case_id=case.public_id) == 1

    services.mark_read(thread_id=question.thread.public_id, person=applicant)

    assert selectors.unread_count(person=applicant, case_id=case.public_id) == 1


def test_unread_count_is_one_query(django_assert_num_queries) -> None:
    case, applicant = case_with_applicant()
    start(case, officer_of_the_office())
    applicant.role_names()  # loaded once per request by the pages

    with django_assert_num_queries(1):
        assert selectors.unread_count(person=applicant, case_id=case.public_id) == 1


def test_unread_count_is_zero_on_a_case_the_person_may_not_see() -> None:
    case, _applicant = case_with_applicant()
    representative = add_party(case)
    start(case, officer_of_the_office())
    revoke(case, representative)

    assert selectors.unread_count(person=representative, case_id=case.public_id) == 0
    assert selectors.unread_count(person=create_user(), case_id=case.public_id) == 0


def test_the_list_shows_each_conversation_newest_first_with_its_unread_count() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office(first_name="Léa", last_name="Tremblay")
    at = clock.now()
    older = start(case, applicant, subject="Older", now=at)
    newer = start(case, officer, subject="Newer", now=at + timedelta(minutes=5))
    reply(newer, officer, body="And another thing", now=at + timedelta(minutes=6))

    view = selectors.case_threads(person=applicant, case_id=case.public_id)

    assert [t.subject for t in view.threads] == ["Newer", "Older"]
    assert [t.unread for t in view.threads] == [2, 0]
    assert [t.message_count for t in view.threads] == [2, 1]
    assert view.threads[0].last_author == "Officer"
    assert view.threads[1].last_author == "You"
    assert older.thread.public_id == view.threads[1].public_id


def test_clients_see_staff_as_officer_and_staff_see_names() -> None:
    case, applicant = case_with_applicant(first_name="Amélie", last_name="Poulain")
    supervisor = create_supervisor(first_name="Léa", last_name="Tremblay")
    message = start(case, supervisor)
    reply(message, applicant)

    for_client = selectors.thread_detail(
        person=applicant, case_id=case.public_id, thread_id=message.thread.public_id
    )
    for_staff = selectors.thread_detail(
        person=officer_of_the_office(), case_id=case.public_id, thread_id=message.thread.public_id
    )

    assert [m.author for m in for_client.messages] == ["Officer", "You"]
    assert "Tremblay" not in str(for_client)
    assert [m.author for m in for_staff.messages] == [
        "Léa Tremblay (Supervisor)",
        "Amélie Poulain (Applicant)",
    ]


def test_receipts_say_when_the_officer_read_and_what_you_read() -> None:
    case, applicant = case_with_applicant()
    officer = officer_of_the_office()
    question = start(case, applicant)
    answer = reply(question, officer)
    thread_id = question.thread.public_id
    at = clock.now()

    before = selectors.thread_detail(person=applicant, case_id=case.public_id, thread_id=thread_id)
    assert [(m.receipt, m.mine) for m in before.messages] == [(None, True), (None, False)]

    services.mark_read(thread_id=thread_id, person=officer, now=at)
    services.mark_read(thread_id=thread_id, person=applicant, now=at + timedelta(minutes=1))

    client_view = selectors.thread_detail(
        person=applicant, case_id=case.public_id, thread_id=thread_id
    )
    officer_view = selectors.thread_detail(
        person=officer, case_id=case.public_id, thread_id=thread_id
    )
    assert [(m.receipt, m.read_at) for m in client_view.messages] == [
        ("officer", at),
        ("you", at + timedelta(minutes=1)),
    ]
    assert [(m.receipt, m.read_at) for m in officer_view.messages] == [
        ("you", at),
        ("client", at + timedelta(minutes=1)),
    ]
    assert answer.public_id == officer_view.messages[1].public_id


def test_a_file_is_found_only_through_a_case_the_person_may_see() -> None:
    case, applicant = case_with_applicant()
    other_case, _other = case_with_applicant()
    message = start(case, applicant, attachments=[services.Attachment("a.pdf", MINIMAL_PDF)])
    attachment = message.attachments.get()

    found = selectors.attachment_for_download(
        person=officer_of_the_office(), case_id=case.public_id, attachment_id=attachment.public_id
    )
    assert found == attachment
    with pytest.raises(MessageAttachment.DoesNotExist):
        selectors.attachment_for_download(
            person=create_user(), case_id=case.public_id, attachment_id=attachment.public_id
        )
    with pytest.raises(MessageAttachment.DoesNotExist):
        selectors.attachment_for_download(
            person=applicant, case_id=other_case.public_id, attachment_id=attachment.public_id
        )


def test_a_case_the_person_may_not_see_has_no_conversations() -> None:
    case, _applicant = case_with_applicant()

    with pytest.raises(Case.DoesNotExist):
        selectors.case_threads(person=create_user(), case_id=case.public_id)
    with pytest.raises(Case.DoesNotExist):
        selectors.case_threads(person=officer_of_the_office(), case_id=uuid.uuid4())
