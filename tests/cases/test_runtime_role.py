"""The role the application runs as reads and appends to the audit log, and can do nothing
else to it: no UPDATE, DELETE or TRUNCATE, and no switching its triggers off."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from passage.cases.models import CaseEvent
from passage.cases.roles import runtime_role_problem
from passage.cases.status import CaseStatus
from tests.builders import case_in_status

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

ROLE = "passage_test_runtime"


@pytest.fixture
def runtime_role():
    """A role made for the test (in its transaction, so it goes with it), given its
    privileges by the command an operator runs."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    call_command("runtime_role", ROLE)
    return ROLE


def as_role(role: str, sql: str, params: list[object]) -> None:
    """Run one statement as `role`, in a savepoint that is rolled back afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_caseevent SET payload = '{}' WHERE case_id = %s",
        "DELETE FROM cases_caseevent WHERE case_id = %s",
        "TRUNCATE cases_caseevent CASCADE",
        "ALTER TABLE cases_caseevent DISABLE TRIGGER case_event_append_only",
    ],
    ids=["update", "delete", "truncate", "switch the trigger off"],
)
def test_the_runtime_role_cannot_alter_the_audit_log(runtime_role, sql):
    case = case_in_status(CaseStatus.IN_REVIEW)
    params = [case.pk] if "%s" in sql else []

    with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
        as_role(runtime_role, sql, params)
    assert CaseEvent.objects.filter(case=case).count() == case.last_event_sequence


def test_the_runtime_role_reads_and_appends_as_the_application_does(runtime_role):
    case = case_in_status(CaseStatus.IN_REVIEW)

    as_role(
        runtime_role,
        "INSERT INTO cases_caseevent (case_id, sequence, kind, actor_role, occurred_at, "
        "payload, ruleset_version, previous_hash, hash, hash_key) SELECT case_id, 99, kind, "
        "actor_role, occurred_at, payload, ruleset_version, hash, hash, hash_key "
        "FROM cases_caseevent WHERE case_id = %s AND sequence = 1",
        [case.pk],
    )
    as_role(runtime_role, "UPDATE cases_case SET version = version WHERE id = %s", [case.pk])


def test_the_runtime_role_passes_the_check_the_test_superuser_fails(runtime_role):
    assert runtime_role_problem(runtime_role) is None
    assert "superuser" in (runtime_role_problem() or "")
    warnings = run_checks(databases=["default"], tags=["database"])
    assert [warning.id for warning in warnings] == ["passage.W001"]
