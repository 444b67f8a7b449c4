"""Drafts kept on the server: saved page by page, resumed, protected against a stale
window, discarded, and submitted once however many times the person presses submit."""

import threading

import pytest
from django.db import connection

from passage.cases.errors import InvalidRequest, StaleVersion
from passage.cases.models import Case
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from passage.intake.models import Application, Draft
from passage.outbox.models import OutboxMessage
from tests.builders import create_user
from tests.intake.builders import fill_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs():
    load_programs()


def filled_draft(person, program="iec", answers=None):
    """A draft with every page saved, as a person going through the pages would."""
    draft = drafts.start_draft(person=person, program_code=program)
    return fill_draft(person, draft, program, answers)


def test_saved_answers_are_there_when_the_person_comes_back():
    person = create_user()
    draft = drafts.start_draft(person=person, program_code="iec")

    drafts.save_page(
        person=person,
        draft_id=draft.public_id,
        page_id="category",
        values={"category": "young-professionals"},
        expected_version=1,
    )

    resumed = drafts.get_draft(person=person, draft_id=draft.public_id)
    assert resumed.answers == {"category": "young-professionals"}
    assert resumed.category == "young-professionals"
    assert resumed.current_page == "name"
    assert resumed.version == 2
    assert drafts.resume_page(resumed) == "name"


def test_a_save_from_an_older_window_that_would_change_the_answers_is_refused():
    person = create_user()
    draft = drafts.start_draft(person=person, program_code="iec")
    save = dict(person=person, draft_id=draft.public_id, page_id="category", expected_version=1)
    drafts.save_page(values={"category": "working-holiday"}, **save)

    with pytest.raises(StaleVersion):
        drafts.save_page(values={"category": "international-coop"}, **save)

    assert Draft.objects.get().answers == {"category": "working-holiday"}


def test_sending_the_same_page_twice_is_harmless():
    person = create_user()
    draft = drafts.start_draft(person=person, program_code="iec")
    save = dict(person=person, draft_id=draft.public_id, page_id="category", expected_version=1)

    first = drafts.save_page(values={"category": "working-holiday"}, **save)
    again = drafts.save_page(values={"category": "working-holiday"}, **save)

    assert first.version == again.version == 2


def test_someone_elses_draft_is_not_found():
    owner, stranger = create_user(), create_user()
    draft = drafts.start_draft(person=owner, program_code="iec")

    with pytest.raises(drafts.DraftNotFound):
        drafts.get_draft(person=stranger, draft_id=draft.public_id)
    with pytest.raises(drafts.DraftNotFound):
        drafts.save_page(
            person=stranger,
            draft_id=draft.public_id,
            page_id="category",
            values={"category": "working-holiday"},
            expected_version=1,
        )


def test_a_closed_program_cannot_be_started():
    with pytest.raises(drafts.DraftNotFound):
        drafts.start_draft(person=create_user(), program_code="it-worker")


def test_a_draft_with_unanswered_pages_cannot_be_submitted():
    person = create_user()
    draft = drafts.start_draft(person=person, program_code="iec")

    with pytest.raises(InvalidRequest):
        drafts.submit_draft(person=person, draft_id=draft.public_id)

    assert not Case.objects.exists()


def test_submitting_twice_gives_one_case_and_one_confirmation_email():
    person = create_user()
    draft = filled_draft(person)

    first = drafts.submit_draft(person=person, draft_id=draft.public_id)
    second = drafts.submit_draft(person=person, draft_id=draft.public_id)

    assert second.case.pk == first.case.pk
    assert (first.replayed, second.replayed) == (False, True)
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="application.received").count() == 1
    application = Application.objects.get()
    assert application.given_name == "Amélie"
    assert application.category == "working-holiday"
    assert application.answers.get().answers["funds_cad"] == 3000


def test_a_submitted_draft_no_longer_changes_and_cannot_be_deleted():
    person = create_user()
    draft = filled_draft(person)
    drafts.submit_draft(person=person, draft_id=draft.public_id)
    draft.refresh_from_db()

    with pytest.raises(drafts.DraftSubmitted):
        drafts.save_page(
            person=person,
            draft_id=draft.public_id,
            page_id="funds",
            values={"funds_cad": 10},
            expected_version=draft.version,
        )
    with pytest.raises(drafts.DraftSubmitted):
        drafts.discard_draft(person=person, draft_id=draft.public_id)


def test_a_discarded_draft_is_gone():
    person = create_user()
    draft = drafts.start_draft(person=person, program_code="pr-card")

    drafts.discard_draft(person=person, draft_id=draft.public_id)

    assert not Draft.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_make_one_case():
    person = create_user()
    draft = filled_draft(person)
    barrier = threading.Barrier(2)
    results, failures = [], []

    def submit():
        try:
            barrier.wait()
            results.append(drafts.submit_draft(person=person, draft_id=draft.public_id).case.pk)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(set(results)) == 1
    assert Case.objects.count() == 1


def test_drafts_of_a_person_are_theirs_only():
    person, other = create_user(), create_user()
    mine = drafts.start_draft(person=person, program_code="iec")
    drafts.start_draft(person=other, program_code="iec")

    assert [draft.public_id for draft in drafts.drafts_of(person)] == [mine.public_id]
    assert mine.public_id not in [draft.public_id for draft in drafts.drafts_of(other)]
