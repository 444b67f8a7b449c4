"""The reads behind every signed-in request: the session, and its person with their roles.
Each is one statement written out once, not a query the ORM builds anew each time
(building it cost more than running it), and gives what the ORM would: the session's
stored data, a `User` instance with its role names loaded.

Session and person stay Django's: these are read through `sessions.SessionStore` and
`backends.AccountBackend`; the API's bearer tokens use the same person columns
(`selectors.user_for_api_token`)."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connections, router

from passage.sql import Converters, column_list, convert_row, converters_for

# The person's groups (their roles) come with the person: one row per group, or one row
# with no group name. Checking a role later in the request needs no second round trip.
ROLES_JOIN = (
    'LEFT OUTER JOIN "accounts_user_groups" '
    'ON ("accounts_user"."id" = "accounts_user_groups"."user_id") '
    'LEFT OUTER JOIN "auth_group" ON ("accounts_user_groups"."group_id" = "auth_group"."id")'
)


class PersonColumns(NamedTuple):
    """The `User` columns in a SELECT, their attribute names and the ORM's converters."""

    sql: str
    attnames: list[str]
    converters: Converters


@cache
def person_columns(alias: str) -> PersonColumns:
    """Every concrete `User` column, followed in the statements by the group's name."""
    from passage.accounts.models import User

    fields = list(User._meta.concrete_fields)
    return PersonColumns(
        sql=f'{column_list(fields)}, "auth_group"."name"',
        attnames=[field.attname for field in fields],
        converters=converters_for(fields, connections[alias]),
    )


def person_from_rows(alias: str, rows: Sequence[tuple[Any, ...]]) -> Any:
    """The `User` of rows of (person columns..., group name), with `role_names` loaded;
    None for no rows."""
    from passage.accounts.models import User

    if not rows:
        return None
    columns = person_columns(alias)
    values = convert_row(rows[0][:-1], columns.converters, connections[alias])
    user = User.from_db(alias, columns.attnames, values)
    user._role_names = frozenset(row[-1] for row in rows if row[-1] is not None)
    return user


def person_by_id(user_id: Any) -> Any:
    """The `User` with this primary key, as `User.objects.get(pk=...)` gives it, with their
    role names loaded; None if there is none."""
    from passage.accounts.models import User

    alias = router.db_for_read(User)
    connection = connections[alias]
    pk = User._meta.pk
    assert pk is not None
    try:
        value = pk.get_db_prep_value(pk.to_python(user_id), connection)
    except (ValidationError, TypeError, ValueError):  # a malformed id is no person
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {person_columns(alias).sql} FROM "accounts_user" {ROLES_JOIN} '  # noqa: S608
            'WHERE "accounts_user"."id" = %s',
            [value],
        )
        return person_from_rows(alias, cursor.fetchall())


def session_data_of(session_key: str, now: datetime) -> str | None:
    """The stored (encoded) data of the session with this key if it has not expired."""
    alias = router.db_for_read(Session)
    connection = connections[alias]
    table = Session._meta.db_table
    expire = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "{table}"."session_data" FROM "{table}" '  # noqa: S608
            f'WHERE "{table}"."session_key" = %s AND "{table}"."expire_date" > %s',
            [session_key, expire],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]
