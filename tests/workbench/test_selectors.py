"""What the workbench reads: an officer's open files, one file with its events, and the
supervisor's officers, shared queue and movable files, each for the person asking only."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases import services as cases
from passage.cases.models import Case
from passage.cases.status import EventKind, Step
from passage.workbench import selectors
from passage.workbench.services import reassign_cases
from tests.builders import create_officer, create_program, create_user, iec_answers
from tests.workbench.builders import (
    claimed_case,
    create_skilled_officer,
    create_supervisor,
    ready_case,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 1, 15, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


# --- The officer's queue --------------------------------------------------------------------


def test_an_officer_reads_their_open_files_oldest_first_and_the_files_waiting_for_anyone():
    officer = create_skilled_officer()
    old = claimed_case(officer, received=NOW - 50 * DAY)
    new = claimed_case(officer, received=NOW - 2 * DAY)
    claimed_case(create_skilled_officer(), received=NOW - 70 * DAY)  # someone else's
    ready_case(answers=iec_answers(), now=NOW)  # nobody has it yet

    assert list(selectors.open_cases_assigned_to(officer)) == [old, new]
    assert selectors.unassigned_in_review_count(officer) == 1


def test_a_client_reads_nothing_even_of_files_they_are_party_to():
    case = ready_case(answers=iec_answers(), now=NOW)
    client = case.application.applicant

    assert list(selectors.open_cases_assigned_to(client)) == []
    assert selectors.unassigned_in_review_count(client) == 0
    assert selectors.references(person=client, case_ids=[case.public_id]) == {}
    with pytest.raises(Case.DoesNotExist):
        selectors.case_file(person=client, case_id=case.public_id)


# --- One file ---------------------------------------------------------------------------


def test_the_case_file_has_the_events_in_order_the_officers_they_name_and_the_answers():
    officer, other = create_skilled_officer(), create_skilled_officer()
    case = claimed_case(officer, received=NOW, funds_cad=1200)
    reassign_cases(
        case_ids=[case.public_id],
        officer=other,
        supervisor=create_supervisor(),
        reason="Balancing the load.",
        idempotency_key="move",
    )
    cases.request_documents(
        case_id=case.public_id,
        actor=other,
        step=Step.ELIGIBILITY,
        items=["Bank statement"],
        due_on=(NOW + 30 * DAY).date(),
        idempotency_key="ask",
        now=NOW,
    )

    read = selectors.case_file(person=other, case_id=case.public_id)

    assert read.case == case
    assert [event.sequence for event in read.events] == list(
        case.events.order_by("sequence").values_list("sequence", flat=True)
    )
    assert read.events[-1].kind == EventKind.DOCUMENTS_REQUESTED
    assert read.officers == {officer.pk: officer, other.pk: other}
    assert read.answers is not None
    assert (read.answers.version, read.answers.answers["funds_cad"]) == (1, 1200)
    assert [document.filename for document in read.documents] == ["passport.pdf"]
    assert [request.items for request in read.document_requests] == [["Bank statement"]]
    assert read.eligibility_finding is None


def test_an_unknown_case_does_not_exist():
    with pytest.raises(Case.DoesNotExist):
        selectors.case_file(person=create_officer(), case_id=uuid.uuid4())


# --- Supervision --------------------------------------------------------------------------


def test_only_a_supervisor_with_an_office_reads_officers_files_or_the_shared_queue():
    create_skilled_officer()
    ready_case(answers=iec_answers(), now=NOW)

    for person in (create_officer(), create_user(Role.APPLICANT), create_user(Role.SUPERVISOR)):
        assert selectors.supervised_office(person) is None
        assert selectors.officers(person=person) == []
        assert selectors.movable_open_cases(person=person) == []
        assert selectors.shared_queue(person=person) == {}


def test_a_supervisor_lists_and_opens_only_the_officers_of_their_office():
    ottawa = create_skilled_officer()
    montreal = create_skilled_officer(office="montreal")
    supervisor = create_supervisor("ottawa")

    listed = [load.officer for load in selectors.officers(person=supervisor, now=NOW)]

    assert listed == [ottawa]
    assert selectors.officer_for_supervisor(person=supervisor, officer_id=ottawa.pk).officer == (
        ottawa
    )
    with pytest.raises(User.DoesNotExist):
        selectors.officer_for_supervisor(person=supervisor, officer_id=montreal.pk)


def test_movable_files_filter_by_officer_or_nobody_or_program():
    officer = create_skilled_officer()
    mine = claimed_case(officer, received=NOW)
    waiting = ready_case(answers=iec_answers(), now=NOW + DAY)
    supervisor = create_supervisor()

    assert selectors.movable_open_cases(person=supervisor) == [mine, waiting]
    assert selectors.movable_open_cases(person=supervisor, officer_id=officer.pk) == [mine]
    assert selectors.movable_open_cases(person=supervisor, unassigned=True) == [waiting]
    assert selectors.movable_open_cases(person=supervisor, program="eta") == []
    assert selectors.movable_open_cases(person=supervisor, limit=1) == [mine]


def test_the_shared_queue_holds_the_waiting_files_of_the_offices_programs_by_program():
    received = [NOW - 4 * DAY, NOW - DAY]
    for at in received:
        ready_case(answers=iec_answers(), now=at)
    claimed_case(create_skilled_officer(), received=NOW - 9 * DAY)  # somebody has it
    create_program("eta", name_en="eTA", processing_offices=["montreal"])
    ready_case(answers=iec_answers(), now=NOW, program_code="eta")  # not Ottawa's

    queue = selectors.shared_queue(person=create_supervisor("ottawa"))

    assert {program.code: sorted(times) for program, times in queue.items()} == {"iec": received}


def test_references_are_given_for_the_files_the_person_may_see():
    case = ready_case(answers=iec_answers(), now=NOW)
    unknown = uuid.uuid4()

    references = selectors.references(
        person=create_skilled_officer(), case_ids=[case.public_id, unknown]
    )

    assert references == {case.public_id: case.reference}
