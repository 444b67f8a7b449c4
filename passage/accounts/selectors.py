"""Reads about people."""

from functools import cache

from django.db import connections, router

from passage.accounts.models import ApiToken, User
from passage.sql import Converters, column_list, convert_row, converters_for

# The token look-up runs on every API request, so it is one statement written out once:
# the person and the names of their groups (their roles) together, with no query to build
# and no second round trip when a role is checked later in the request.
_PERSON_SQL = (
    'SELECT {columns}, "auth_group"."name" FROM "accounts_apitoken" '
    'INNER JOIN "accounts_user" ON ("accounts_apitoken"."user_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_user_groups" '
    'ON ("accounts_user"."id" = "accounts_user_groups"."user_id") '
    'LEFT OUTER JOIN "auth_group" ON ("accounts_user_groups"."group_id" = "auth_group"."id") '
    'WHERE "accounts_apitoken"."token_hash" = %s AND "accounts_apitoken"."revoked_at" IS NULL '
    'AND "accounts_user"."is_active"'
)


def user_for_api_token(*, raw_token: str) -> User | None:
    """The active user holding this bearer token, or None. The user comes with their role
    names already loaded (`User.role_names`)."""
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    sql, field_names, converters = _token_statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ApiToken.hash(raw_token)])
        rows = cursor.fetchall()
    if not rows:
        return None
    values = convert_row(rows[0][:-1], converters, connection)
    user = User.from_db(alias, field_names, values)
    user._role_names = frozenset(row[-1] for row in rows if row[-1] is not None)
    return user


@cache
def _token_statement(alias: str) -> tuple[str, list[str], Converters]:
    """The statement, the User fields it reads in order, and their converters."""
    fields = list(User._meta.concrete_fields)
    sql = _PERSON_SQL.format(columns=column_list(fields))
    return sql, [field.attname for field in fields], converters_for(fields, connections[alias])
