"""Helpers for the few hot-path reads written as plain SQL: they turn raw rows into the
same Python values the ORM would give, using the ORM's own converters for each field
(they differ by database: SQLite, for one, keeps UUIDs and timestamps as text)."""

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

Converters = list[tuple[int, list[Any], Any]]


def column_list(fields: Sequence[Any]) -> str:
    """`"table"."column", ...` for the model fields, in order."""
    return ", ".join(f'"{field.model._meta.db_table}"."{field.column}"' for field in fields)


def converters_for(fields: Sequence[Any], connection: BaseDatabaseWrapper) -> Converters:
    """For each field that needs them, its position and the ORM's value converters."""
    result: Converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(field.model._meta.db_table)
        functions = connection.ops.get_db_converters(expression)
        functions += expression.get_db_converters(connection)
        if functions:
            result.append((index, functions, expression))
    return result


def convert_row(
    row: tuple[Any, ...], converters: Converters, connection: BaseDatabaseWrapper
) -> list[Any]:
    """The row's values as the ORM would return them."""
    values = list(row)
    for index, functions, expression in converters:
        for function in functions:
            values[index] = function(values[index], expression, connection)
    return values
