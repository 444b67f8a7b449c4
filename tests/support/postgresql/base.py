"""Passage's PostgreSQL backend for the test run, emptying a database between tests past
the audit log's refusal of TRUNCATE (migration cases 0009).

The refusal is a trigger; a superuser (the test run's role) may set
session_replication_role to replica, in which triggers do not fire. The application's own
role cannot (docs/operations.md, "Auditing")."""

from typing import Any

from django.db.backends.postgresql import operations

from passage.postgresql import base


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **options: Any) -> list[str]:
        statements: list[str] = super().sql_flush(style, tables, **options)
        if not statements:
            return statements
        return [
            "SET session_replication_role = replica",
            *statements,
            "SET session_replication_role = DEFAULT",
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
