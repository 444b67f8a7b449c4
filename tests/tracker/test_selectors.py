"""The tracker's read, scoped by the person asking."""

import uuid
from datetime import timedelta

import pytest

from passage import clock
from passage.cases.models import Case
from passage.cases.status import PartyRole, Step, StepState
from passage.tracker.selectors import tracker_view
from tests.builders import create_user
from tests.conversations.builders import start
from tests.tracker.builders import (
    add_party,
    ask_for_documents,
    officer_in,
    revoked_representative,
    worked_case,
)
from tests.workbench.builders import create_skilled_officer as officer_of_the_office

pytestmark = pytest.mark.django_db


def read(person, case, language="en"):
    return tracker_view(person=person, case_id=case.public_id, now=clock.now(), language=language)


def test_the_applicant_sees_the_status_steps_and_program_of_their_case():
    case = worked_case()

    view = read(case.application.applicant, case)

    assert view.reference == case.reference
    assert view.status == "in_review"
    assert view.role == "applicant"
    assert [step.step for step in view.steps] == [step.value for step in Step]
    assert view.program_name == "International Experience Canada"
    assert read(case.application.applicant, case, "fr").program_name == (
        "Expérience internationale Canada"
    )


def test_documents_due_are_in_the_requesting_officers_office_time_zone():
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    request = ask_for_documents(case, officer, Step.MEDICAL, days=14)

    view = read(case.application.applicant, case)

    (due,) = view.documents_due
    assert due.request_id == request.pk
    assert due.due_on == clock.now().date() + timedelta(days=14)
    assert due.time_zone == "America/Vancouver"
    assert due.items == ["Medical exam report"]
    medical = next(step for step in view.steps if step.step == "medical")
    assert medical.state == StepState.WAITING_ON_YOU


def test_an_officer_without_an_office_time_zone_falls_back_to_eastern_time():
    officer = officer_in("America/Vancouver")
    case = worked_case(officer)
    ask_for_documents(case, officer)
    officer.office = None
    officer.save(update_fields=["office"])

    (due,) = read(case.application.applicant, case).documents_due

    assert due.time_zone == "America/Toronto"


def test_the_history_never_shows_triage_assignments_or_notes():
    officer = officer_in()
    case = worked_case(officer)
    ask_for_documents(case, officer)

    texts = [line.text for line in read(case.application.applicant, case).history]

    assert texts[0] == "We asked you for documents"
    assert "We received your application" in texts
    for internal in (
        "Eligibility rules assessed the file",
        "The file was assigned to an officer",
        "An officer added a note",
        "An officer started work on the file",
    ):
        assert internal not in texts
    assert not any("employer" in text for text in texts)


def test_staff_get_the_applicants_view():
    officer = officer_in()
    case = worked_case(officer)
    ask_for_documents(case, officer, Step.MEDICAL)

    staff = read(officer, case)
    applicant = read(case.application.applicant, case)

    assert staff.role == "applicant"
    assert staff == applicant


def test_a_sponsor_sees_only_the_eligibility_step_and_its_requests():
    officer = officer_in()
    case = worked_case(officer)
    sponsor = add_party(case, PartyRole.SPONSOR)
    ask_for_documents(case, officer, Step.MEDICAL)

    view = read(sponsor, case)

    assert view.role == "sponsor"
    assert [step.step for step in view.steps] == ["eligibility"]
    assert view.documents_due == []
    assert "We asked you for documents" not in [line.text for line in view.history]
    assert view.status == "in_review"


def test_an_applicants_representative_sees_the_whole_case():
    case = worked_case()
    representative = add_party(case, PartyRole.REPRESENTATIVE)

    view = read(representative, case)

    # The view is the part of the case they act for: the applicant's, all of it.
    assert view.role == "applicant"
    assert len(view.steps) == 4


def test_a_sponsors_representative_sees_the_sponsorship_part_only():
    officer = officer_in()
    case = worked_case(officer)
    sponsor = add_party(case, PartyRole.SPONSOR)
    representative = add_party(case, PartyRole.REPRESENTATIVE, by=sponsor)
    ask_for_documents(case, officer, Step.MEDICAL)

    view = read(representative, case)

    assert view.role == "sponsor"
    assert [step.step for step in view.steps] == ["eligibility"]
    assert view.documents_due == []


def test_a_case_one_may_not_see_does_not_exist():
    case = worked_case()
    revoked = revoked_representative(case)
    inactive = case.application.applicant
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])

    for person in (create_user(), revoked, inactive):
        with pytest.raises(Case.DoesNotExist):
            read(person, case)
    with pytest.raises(Case.DoesNotExist):
        tracker_view(
            person=officer_of_the_office(), case_id=uuid.uuid4(), now=clock.now(), language="en"
        )


def test_the_tracker_reads_a_case_in_three_statements_once_the_estimate_is_known(
    django_assert_num_queries,
):
    case = worked_case()
    applicant = case.application.applicant
    applicant.role_names()  # loaded once per request with the person
    read(applicant, case)

    with django_assert_num_queries(3):
        read(applicant, case)


def test_each_person_counts_only_the_unread_messages_of_their_side():
    case = worked_case()
    applicant = case.application.applicant
    sponsor = add_party(case, PartyRole.SPONSOR)
    officer = case.assigned_to
    start(case, officer, subject="Documents", body="Please send your passport.")
    start(case, sponsor, subject="Sponsor's question")

    assert read(applicant, case).unread_messages == 1
    assert read(sponsor, case).unread_messages == 0
    assert read(officer, case).unread_messages == 1


def test_a_person_with_two_parties_sees_the_wider_part_and_each_message_once():
    case = worked_case()
    sponsor = add_party(case, PartyRole.SPONSOR)
    add_party(case, PartyRole.REPRESENTATIVE, sponsor)
    start(case, case.assigned_to, subject="Documents", body="Please send your passport.")

    view = read(sponsor, case)

    assert view.role == "applicant"
    assert len(view.steps) == 4
    assert view.unread_messages == 1
