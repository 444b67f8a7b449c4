import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from passage.cases.audit import verify_event_chains
from passage.cases.models import Case, CaseEvent
from passage.cases.status import CaseStatus
from tests.builders import case_in_status, create_officer

pytestmark = pytest.mark.django_db


def cases_in_every_status() -> list[Case]:
    officer = create_officer()
    return [case_in_status(status, officer=officer) for status in CaseStatus]


def tamper(sql: str, params: list[object]) -> None:
    """Change the log behind Passage's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for a session; the chain still tells.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER case_event_append_only")
            cursor.execute(sql, params)


def test_the_event_chains_of_real_cases_verify():
    cases = cases_in_every_status()

    report = verify_event_chains()

    assert report.ok, report.breaks
    assert report.cases_checked == len(cases)
    assert report.events_checked == CaseEvent.objects.count()


def test_an_altered_payload_is_detected():
    cases_in_every_status()
    refusal = CaseEvent.objects.get(kind="case.refused")

    tamper(
        "UPDATE cases_caseevent SET payload = %s WHERE id = %s",
        ['{"reasons": "Softened after the fact.", "legal_grounds": []}', refusal.pk],
    )

    report = verify_event_chains()
    assert [(b.case_reference, b.sequence) for b in report.breaks] == [
        (refusal.case.reference, refusal.sequence)
    ]
    assert "does not match its hash" in report.breaks[0].problem


def test_a_deleted_event_is_detected():
    case = case_in_status(CaseStatus.IN_REVIEW)
    middle = CaseEvent.objects.get(case=case, sequence=2)

    tamper("DELETE FROM cases_caseevent WHERE id = %s", [middle.pk])

    problems = [b.problem for b in verify_event_chains().breaks]
    assert "sequence 3 where 2 was expected" in problems
    assert "linked to the wrong previous event" in problems


def test_a_removed_last_event_is_detected_by_the_case_head():
    case = case_in_status(CaseStatus.IN_REVIEW)

    tamper(
        "DELETE FROM cases_caseevent WHERE case_id = %s AND sequence = %s",
        [case.pk, case.last_event_sequence],
    )

    breaks = verify_event_chains().breaks
    assert len(breaks) == 1
    assert breaks[0].sequence is None
    assert "records 3 events but its log ends at 2" in breaks[0].problem


def test_the_audit_command_reports_breaks_and_fails(capsys):
    case = case_in_status(CaseStatus.TRIAGE)
    tamper(
        "UPDATE cases_caseevent SET actor_role = 'officer' WHERE case_id = %s AND sequence = 2",
        [case.pk],
    )

    with pytest.raises(CommandError, match="1 breaks found"):
        call_command("audit", "verify")
    assert f"BREAK {case.reference} event 2" in capsys.readouterr().out


def test_the_audit_command_says_all_is_well_on_an_intact_log(capsys):
    cases_in_every_status()

    call_command("audit", "verify")

    assert "All chains verify: 6 cases" in capsys.readouterr().out
