"""Taking the next file and routing files to officers: who gets what, and never twice."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.intake.models import Program
from passage.workbench.models import Leave
from passage.workbench.services import (
    claim_next_case,
    reassign_cases,
    record_leave,
    route_open_cases,
    update_officer,
)
from tests.builders import create_office, create_user, iec_answers
from tests.workbench.builders import create_skilled_officer, create_supervisor, ready_case

pytestmark = pytest.mark.django_db(transaction=True)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


def claim(officer, key=None):
    return claim_next_case(officer=officer, idempotency_key=key or uuid.uuid4().hex)


def test_an_officer_takes_the_oldest_file_their_skills_cover():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    newer = ready_case(now=now)
    older = ready_case(now=now - 3 * DAY)
    officer = create_skilled_officer()

    first = claim(officer).case

    assert first.pk == older.pk
    assert first.assigned_to_id == officer.pk
    assert first.work_started_at is not None
    assert claim(officer).case.pk == newer.pk
    assert claim(officer).case is None


def test_a_file_routed_to_the_officer_comes_before_older_unassigned_ones():
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    ready_case(now=now - 10 * DAY)
    mine = ready_case(now=now)
    officer = create_skilled_officer()
    supervisor = create_supervisor()
    reassign_cases(
        case_ids=[mine.public_id],
        officer=officer,
        supervisor=supervisor,
        reason="Same family as a file they hold.",
        idempotency_key="move",
    )

    assert claim(officer).case.pk == mine.pk


def test_an_officer_never_takes_a_file_outside_their_skills():
    ready_case(program_code="iec", preferred_language="fr")
    complex_file = ready_case(answers=iec_answers(funds_cad=100), preferred_language="en")
    english_only = create_skilled_officer(("program", "iec", 3), ("language", "en", 3))
    novice = create_skilled_officer(
        ("program", "iec", 1), ("language", "en", 3), ("language", "fr", 3)
    )
    other_program = create_skilled_officer(("program", "pr-card", 5), ("language", "fr", 5))

    assert claim(other_program).case is None
    assert claim(english_only).case.pk == complex_file.pk
    # A proficiency of 1 takes only routine (tier 1) files.
    assert claim(novice).case.tier == 1


def test_the_same_claim_key_returns_the_same_file_instead_of_a_second_one():
    ready_case()
    ready_case()
    officer = create_skilled_officer()

    first = claim_next_case(officer=officer, idempotency_key="take-1")
    again = claim_next_case(officer=officer, idempotency_key="take-1")

    assert again.replayed
    assert again.case.pk == first.case.pk
    assert Case.objects.filter(work_started_at__isnull=False).count() == 1


def test_a_started_file_is_logged_with_who_took_it():
    ready_case()
    officer = create_skilled_officer()

    case = claim(officer).case

    event = case.events.get(kind=EventKind.WORK_STARTED)
    assert event.actor_id == officer.pk
    assert event.payload["reasons"]["how"] == "next in your skills"


@pytest.mark.postgres_only
def test_fifty_officers_claiming_at_once_never_get_the_same_file():
    for _ in range(60):
        ready_case()
    officers = [create_skilled_officer() for _ in range(50)]
    barrier = threading.Barrier(50)
    taken: list[int] = []
    errors: list[BaseException] = []

    def take(officer) -> None:
        try:
            barrier.wait()
            for _ in range(2):
                result = claim(officer)
                if result.case is not None:
                    taken.append(result.case.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(taken) == 60
    assert len(set(taken)) == len(taken)
    assert Case.objects.filter(work_started_at__isnull=False).count() == 60


def test_routing_gives_each_file_an_officer_with_reasons_within_capacity():
    for _ in range(5):
        ready_case()
    small = create_skilled_officer(capacity=2)
    large = create_skilled_officer(capacity=2)

    run = route_open_cases()

    assert run.assigned == 4
    assert run.unassigned == 1
    for officer in (small, large):
        assert Case.objects.filter(assigned_to=officer).count() == 2
    event = Case.objects.filter(assigned_to=small).first().events.get(kind=EventKind.ASSIGNED)
    assert event.payload["reasons"]["routing_run"] == run.pk


def test_routing_keeps_started_files_with_their_officer_and_skips_officers_on_leave():
    ready_case()
    ready_case()
    busy = create_skilled_officer(capacity=5)
    away = create_skilled_officer(capacity=5)
    started = claim(busy).case
    today = datetime.now(UTC).date()
    Leave.objects.create(officer=away, starts_on=today, ends_on=today + 5 * DAY)

    route_open_cases()

    started.refresh_from_db()
    assert started.assigned_to_id == busy.pk
    assert not Case.objects.filter(assigned_to=away).exists()
    assert Case.objects.filter(assigned_to=busy).count() == 2


# --- Supervisors manage their own office ----------------------------------------------


def officer_details(officer):
    """What a supervisor can change about an officer, as stored."""
    officer.refresh_from_db()
    return (
        officer.office.code,
        officer.officer_profile.weekly_capacity,
        set(officer.skills.values_list("kind", "value", "proficiency")),
    )


def test_a_supervisor_sets_the_capacity_and_skills_of_an_officer_of_their_office():
    officer = create_skilled_officer(capacity=10)
    ottawa = officer.office

    update_officer(
        supervisor=create_supervisor(),
        officer=officer,
        weekly_capacity=25,
        office=ottawa,
        skills=[("program", "iec", 4)],
    )

    assert officer_details(officer) == ("ottawa", 25, {("program", "iec", 4)})


def test_a_supervisor_cannot_change_an_officer_of_another_office():
    montreal = create_skilled_officer(capacity=10, office="montreal")
    before = officer_details(montreal)

    with pytest.raises(NotPermitted, match="officers of your own office"):
        update_officer(
            supervisor=create_supervisor("ottawa"),
            officer=montreal,
            weekly_capacity=0,
            office=montreal.office,
            skills=[],
        )

    assert officer_details(montreal) == before


def test_a_supervisor_cannot_move_their_officer_to_another_office():
    officer = create_skilled_officer(capacity=10)
    before = officer_details(officer)

    with pytest.raises(InvalidRequest) as error:
        update_officer(
            supervisor=create_supervisor(),
            officer=officer,
            weekly_capacity=12,
            office=create_office("montreal"),
            skills=[],
        )

    assert "office" in error.value.details["errors"]
    assert officer_details(officer) == before


def test_a_supervisor_cannot_record_leave_for_an_officer_of_another_office():
    montreal = create_skilled_officer(office="montreal")
    today = datetime.now(UTC).date()

    with pytest.raises(NotPermitted):
        record_leave(
            supervisor=create_supervisor("ottawa"),
            officer=montreal,
            starts_on=today,
            ends_on=today + DAY,
        )

    assert not Leave.objects.exists()


def test_a_supervisor_without_an_office_manages_nobody():
    officer = create_skilled_officer()
    case = ready_case()
    supervisor = create_user(Role.SUPERVISOR)
    today = datetime.now(UTC).date()

    with pytest.raises(NotPermitted, match="no office"):
        update_officer(
            supervisor=supervisor,
            officer=officer,
            weekly_capacity=1,
            office=officer.office,
            skills=[],
        )
    with pytest.raises(NotPermitted, match="no office"):
        record_leave(supervisor=supervisor, officer=officer, starts_on=today, ends_on=today)
    with pytest.raises(NotPermitted, match="no office"):
        reassign_cases(
            case_ids=[case.public_id],
            officer=officer,
            supervisor=supervisor,
            reason="Balance.",
            idempotency_key="move",
        )

    assert not Leave.objects.exists()
    assert not Case.objects.filter(assigned_to__isnull=False).exists()


def test_a_supervisor_cannot_move_a_file_held_by_an_officer_of_another_office():
    montreal = create_skilled_officer(office="montreal")
    ready_case()
    held = claim(montreal).case
    events = held.events.count()

    for destination in (create_skilled_officer(), None):
        result = reassign_cases(
            case_ids=[held.public_id],
            officer=destination,
            supervisor=create_supervisor("ottawa"),
            reason="Balance the load.",
            idempotency_key=uuid.uuid4().hex,
        )

        assert result.done == []
        assert "your office" in result.failed[str(held.public_id)]
    held.refresh_from_db()
    assert held.assigned_to == montreal
    assert held.events.count() == events


def test_a_supervisor_cannot_give_a_file_to_an_officer_of_another_office():
    case = ready_case()
    montreal = create_skilled_officer(office="montreal")

    with pytest.raises(InvalidRequest) as error:
        reassign_cases(
            case_ids=[case.public_id],
            officer=montreal,
            supervisor=create_supervisor("ottawa"),
            reason="Balance the load.",
            idempotency_key="move",
        )

    assert "officer" in error.value.details["errors"]
    case.refresh_from_db()
    assert case.assigned_to is None
    assert not case.events.filter(kind=EventKind.ASSIGNED).exists()


@pytest.mark.parametrize(
    ("processing_offices", "movable"),
    [([], True), (["ottawa"], True), (["montreal", "ottawa"], True), (["montreal"], False)],
)
def test_a_supervisor_gives_out_waiting_files_only_of_programs_their_office_processes(
    processing_offices, movable
):
    case = ready_case()
    Program.objects.filter(pk=case.program_id).update(processing_offices=processing_offices)
    officer = create_skilled_officer()

    result = reassign_cases(
        case_ids=[case.public_id],
        officer=officer,
        supervisor=create_supervisor("ottawa"),
        reason="Same family as a file they hold.",
        idempotency_key="move",
    )

    case.refresh_from_db()
    assert (case.assigned_to == officer) is movable
    assert bool(result.done) is movable
