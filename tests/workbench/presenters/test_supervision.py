"""The supervisor's pages: the office's capacity, load and leave, the age of the shared
queue, and the open files they may move, for a supervisor with an office only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from passage.accounts.roles import Role
from passage.cases.status import CaseStatus
from passage.workbench.models import Leave
from passage.workbench.presenters.supervision import (
    open_files,
    open_files_page,
    supervisor_overview,
)
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


def test_the_overview_gives_each_offices_capacity_load_and_leave():
    busy = create_skilled_officer(capacity=12)
    away = create_skilled_officer(capacity=8, first_name="Omar")
    montreal = create_skilled_officer(capacity=5, office="montreal")
    claimed_case(busy, received=NOW)
    claimed_case(busy, received=NOW, funds_cad=1200)
    Leave.objects.create(officer=away, starts_on=NOW.date() - DAY, ends_on=NOW.date() + DAY)
    Leave.objects.create(
        officer=montreal, starts_on=NOW.date() + 5 * DAY, ends_on=NOW.date() + 9 * DAY
    )

    ottawa_view = supervisor_overview(person=create_supervisor("ottawa"), now=NOW)
    montreal_view = supervisor_overview(person=create_supervisor("montreal"), now=NOW)

    (ottawa,) = ottawa_view.offices
    assert ottawa.office.code == "ottawa"
    assert ottawa.weekly_capacity == 20
    assert ottawa.available_capacity == 12
    assert (ottawa.assigned, ottawa.started) == (2, 2)
    assert [officer.officer for officer in ottawa.on_leave_today] == [away]
    (montreal_office,) = montreal_view.offices
    assert montreal_office.office.code == "montreal"
    assert [officer.officer for officer in montreal_office.officers] == [montreal]
    assert montreal_office.on_leave_today == []


def test_the_overview_gives_the_count_oldest_and_median_age_of_the_shared_queue():
    for days in (1, 4, 10):
        ready_case(answers=iec_answers(), now=NOW - days * DAY)

    with translation.override("en"):
        overview = supervisor_overview(person=create_supervisor(), now=NOW)

    (age,) = overview.queue_ages
    assert age.program == "International Experience Canada"
    assert (age.count, age.oldest_days, age.median_days) == (3, 10, 4)
    assert overview.unassigned_in_review == 3


def test_only_a_supervisor_with_an_office_gets_an_overview_or_open_files():
    create_skilled_officer()
    ready_case(answers=iec_answers(), now=NOW)

    for person in (create_officer(), create_user(Role.APPLICANT), create_user(Role.SUPERVISOR)):
        overview = supervisor_overview(person=person, now=NOW)
        assert overview.offices == []
        assert overview.queue_ages == []
        assert overview.latest_run is None
        assert open_files(person=person) == []


def test_an_open_file_gives_its_program_tier_age_and_who_has_it():
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    taken = claimed_case(officer, received=NOW - 3 * DAY, funds_cad=1200)
    waiting = ready_case(answers=iec_answers(), now=NOW - DAY)

    with translation.override("en"):
        files = open_files(person=create_supervisor(), now=NOW)

    assert [(file.reference, file.case_id) for file in files] == [
        (taken.reference, taken.public_id),
        (waiting.reference, waiting.public_id),
    ]
    first, second = files
    assert first.program == "International Experience Canada"
    assert (first.tier_label, first.age_days) == ("Tier 3: full assessment", 3)
    assert (first.assigned_to, first.started) == ("Léa Tremblay", True)
    assert (second.tier_label, second.age_days) == ("Tier 1: routine", 1)
    assert (second.assigned_to, second.started) == ("", False)


def test_a_supervisor_sees_the_files_of_their_officers_and_the_waiting_files_of_their_programs():
    ottawa, montreal = create_skilled_officer(), create_skilled_officer(office="montreal")
    theirs = claimed_case(montreal, received=NOW)
    mine = claimed_case(ottawa, received=NOW + DAY)
    waiting = ready_case(answers=iec_answers(), now=NOW)
    eta = create_program("eta", name_en="eTA", processing_offices=["montreal"])
    elsewhere = ready_case(answers=iec_answers(), now=NOW, program_code="eta")
    assert (elsewhere.program, elsewhere.status) == (eta, CaseStatus.IN_REVIEW)
    supervisor = create_supervisor("ottawa")

    files = open_files(person=supervisor, now=NOW + 2 * DAY)
    of_montreal = open_files(person=supervisor, officer_id=montreal.pk)
    overview = supervisor_overview(person=supervisor, now=NOW + 2 * DAY)

    assert {file.reference for file in files} == {mine.reference, waiting.reference}
    assert theirs.reference not in {file.reference for file in files}
    assert of_montreal == []
    assert [age.count for age in overview.queue_ages] == [1]


# --- A page at a time -----------------------------------------------------------------------


def waiting_files(count: int) -> list:
    """`count` files nobody has, received a day apart, oldest first."""
    return [ready_case(answers=iec_answers(), now=NOW + n * DAY) for n in range(count)]


def test_the_files_come_a_page_at_a_time_oldest_first_with_links_to_the_others():
    files = waiting_files(5)
    supervisor = create_supervisor()

    second = open_files_page(person=supervisor, page="2", per_page=2)

    assert [file.case_id for file in second.files] == [f.public_id for f in files[2:4]]
    assert (second.number, second.start, second.end, second.count) == (2, 3, 4, 5)
    assert [(link.kind, link.number, link.current) for link in second.links] == [
        ("previous", 0, False),
        ("page", 1, False),
        ("page", 2, True),
        ("page", 3, False),
        ("next", 0, False),
    ]
    assert second.links[0].url == "?page=1"


def test_the_page_links_keep_the_filters():
    waiting_files(3)

    shown = open_files_page(
        person=create_supervisor(), officer="none", program="iec", page="1", per_page=2
    )

    assert shown.links[-1].url == "?officer=none&program=iec&page=2"
    assert shown.count == 3


def test_a_page_past_the_last_answers_the_last_and_a_page_that_is_no_number_the_first():
    files = waiting_files(3)
    supervisor = create_supervisor()

    past = open_files_page(person=supervisor, page="99", per_page=2)
    nonsense = open_files_page(person=supervisor, page="two", per_page=2)

    assert past.number == 2
    assert [file.case_id for file in past.files] == [files[2].public_id]
    assert nonsense.number == 1


def test_a_single_page_has_no_page_links():
    waiting_files(2)

    assert open_files_page(person=create_supervisor(), per_page=2).links == []


def test_a_person_without_an_office_to_supervise_gets_an_empty_page():
    waiting_files(1)

    shown = open_files_page(person=create_skilled_officer())

    assert (shown.files, shown.count, shown.links) == ([], 0, [])
