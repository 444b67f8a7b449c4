"""Helpers of the dataset loaders (dataset, tracker_dataset): they write rows by id in bulk,
with the big tables' indexes and constraints set aside during the load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import psycopg


def drop_indexes_and_constraints(cur: psycopg.Cursor, table: str, kinds: str = "fu") -> list[str]:
    """Drop a table's secondary indexes and its constraints of the given kinds (pg_constraint
    contype letters: f foreign key, u unique, c check) and return the statements that put
    them back, unchanged, once the rows are in."""
    wanted = ", ".join(f"'{kind}'" for kind in kinds)
    constraints = cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "  # noqa: S608
        f"WHERE conrelid = %s::regclass AND contype IN ({wanted})",
        (table,),
    ).fetchall()
    indexes = cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (table,),
    ).fetchall()
    restore = []
    for name, definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        restore.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
        restore.append(definition)
    # Indexes first, then the constraints that may use them.
    return sorted(restore, key=lambda statement: statement.startswith("ALTER"))


def reset_sequences(cur: psycopg.Cursor, tables: Iterable[str]) -> None:
    """Move each table's id sequence past the ids the loader wrote itself."""
    for table in tables:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


# The case event log's row trigger that refuses a staff event by someone with a conflict
# of interest (migration cases 0008): the loaders' synthetic officers are never parties,
# and checking millions of rows one by one, while the indexes it reads are set aside,
# would take longer than the rest of the load.
CONFLICT_TRIGGER = "case_event_no_conflict"


@contextmanager
def without_conflict_check(cur: psycopg.Cursor) -> Iterator[None]:
    """Switch the event log's conflict-of-interest trigger off for a bulk insert of
    synthetic events, and back on after it (the loader connects as the tables' owner)."""
    cur.execute(f"ALTER TABLE cases_caseevent DISABLE TRIGGER {CONFLICT_TRIGGER}")
    try:
        yield
    finally:
        cur.execute(f"ALTER TABLE cases_caseevent ENABLE TRIGGER {CONFLICT_TRIGGER}")
