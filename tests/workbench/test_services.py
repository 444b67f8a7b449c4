"""Taking the next file and routing files to officers: who gets what, and never twice."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from passage.accounts.roles import Role
from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.workbench.models import Leave
from passage.workbench.services import claim_next_case, reassign_cases, route_open_cases
from tests.builders import create_user, iec_answers
from tests.workbench.builders import create_skilled_officer, ready_case

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
    supervisor = create_user(Role.SUPERVISOR)
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
