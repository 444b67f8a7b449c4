"""Whether the database role Passage runs as could set the audit log's defences aside:
a superuser, or the owner of the event log, can switch its triggers off, truncate it and
rewrite it. Run as a role without either (`passage runtime_role`)."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import connection

APPEND_ONLY = "cases_caseevent"


def runtime_role_problem(role: str | None = None) -> str | None:
    """None when `role` (by default the connected one) can neither own nor bypass the case
    event log; else what it can do. Always None on SQLite, which has no roles."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolname, r.rolsuper, r.rolbypassrls, "
            "pg_has_role(r.rolname, t.tableowner, 'USAGE') "
            "FROM pg_roles r, pg_tables t "
            "WHERE r.rolname = COALESCE(%s, current_user) AND t.tablename = %s",
            [role, APPEND_ONLY],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    name, superuser, _bypass, owner = row
    if superuser:
        return f"the role {name} is a superuser: it can switch the audit log's triggers off."
    if owner:
        return f"the role {name} owns the case event log: it can switch its triggers off."
    return None


@register(Tags.database, Tags.security)
def check_runtime_role(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """`passage check --database default`: warn when Passage runs as a role that could set
    the audit log's defences aside."""
    databases = kwargs.get("databases") or []
    if "default" not in databases:  # type: ignore[operator]
        return []
    problem = runtime_role_problem()
    if problem is None:
        return []
    return [
        CheckWarning(
            f"Passage connects to PostgreSQL as a role that can alter its audit log: {problem}",
            hint="Run migrations as the owner, and Passage as a role given what it needs by "
            "`passage runtime_role ROLE` (docs/operations.md, Auditing).",
            id="passage.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_chain_key(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """`passage check --deploy`: warn when the audit chain's key is derived from the
    secret key rather than set on its own."""
    if settings.PASSAGE_AUDIT_KEYS.strip():
        return []
    return [
        CheckWarning(
            "PASSAGE_AUDIT_KEYS is not set: the audit chain is keyed with a key derived from "
            "PASSAGE_SECRET_KEY, so rotating the secret key would leave the log unverifiable.",
            hint="Set PASSAGE_AUDIT_KEYS to id:hex entries of your own (docs/operations.md, "
            "Auditing); keep old keys in it after a rotation.",
            id="passage.W002",
        )
    ]
