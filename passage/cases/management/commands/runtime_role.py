"""`passage runtime_role ROLE`: give the role the application runs as what it needs of the
PostgreSQL database, and no more.

The application must not own its tables: a table's owner can switch off its triggers,
truncate it or rewrite it, which are exactly what the audit log's triggers refuse. So
migrations run as the owner, and the web and worker processes as this role: every table
to read and write, but the case event log to read and append to only, and no TRUNCATE,
TRIGGER or REFERENCES anywhere (docs/operations.md, "Auditing").
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from passage.cases.roles import runtime_role_problem

APPEND_ONLY = "cases_caseevent"


def grant_statements(role: str, database: str) -> list[str]:
    """The statements that give `role` its privileges (identifiers already quoted)."""
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE UPDATE, DELETE ON {APPEND_ONLY} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables that later migrations create, as the owner who runs them.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = (
        "Grant ROLE (an existing PostgreSQL role) what the application needs: every table, "
        "but the case event log read and append only. Run it as the tables' owner after "
        "each `migrate`, and run the application as ROLE."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("role")
        parser.add_argument("--print", action="store_true", help="Print the SQL, run nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's: the embedded SQLite database has none.")
        quote = connection.ops.quote_name
        role = options["role"]
        statements = grant_statements(quote(role), quote(connection.settings_dict["NAME"]))
        if options["print"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no role {role!r}: create it first (CREATE ROLE).")
            for statement in statements:
                cursor.execute(statement)
        problem = runtime_role_problem(role)
        if problem is not None:
            raise CommandError(f"The grants are in place, but {problem}")
        self.stdout.write(
            self.style.SUCCESS(f"{role} may now run Passage; it cannot alter the audit log.")
        )
