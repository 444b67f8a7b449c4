"""The database's own defences of the case event log are all in place after migrating, on
PostgreSQL and SQLite alike (SQLite drops a table's triggers whenever a migration rebuilds
the table, so a later migration could lose them)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

EXPECTED = {
    "postgresql": {"case_event_append_only", "case_event_no_conflict", "case_event_no_truncate"},
    "sqlite": {"case_event_append_only", "case_event_no_conflict"},
}


def triggers_on_the_event_log() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_caseevent'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'cases_caseevent'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_trigger_guarding_the_event_log_is_in_place():
    assert triggers_on_the_event_log() == EXPECTED[connection.vendor]
