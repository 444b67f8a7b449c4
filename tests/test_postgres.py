from datetime import UTC, datetime

import pytest
from django.db import connection
from psycopg.pq import Format

from passage.accounts.models import User
from passage.postgres import TIMESTAMPTZ_OID

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def loader_of(adapters: object) -> type:
    return adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)  # type: ignore[attr-defined]


def test_a_timestamp_comes_back_as_the_same_instant_in_utc() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::timestamptz, '2026-03-08 02:30:00.25-05'::timestamptz, NULL::timestamptz",
            ["2026-11-21 21:31:50.123456+00"],
        )
        stored, offset, missing = cursor.fetchone()
    assert stored == datetime(2026, 11, 21, 21, 31, 50, 123456, tzinfo=UTC)
    assert stored.tzinfo is UTC
    assert offset == datetime(2026, 3, 8, 7, 30, 0, 250000, tzinfo=UTC)
    assert offset.tzinfo is UTC
    assert missing is None


def test_a_model_timestamp_round_trips_through_the_orm() -> None:
    joined = datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    user = User.objects.create_user(username="round-trip", password="x" * 12, date_joined=joined)
    assert User.objects.get(pk=user.pk).date_joined == joined


def test_every_cursor_keeps_the_connections_loader_rather_than_djangos_slow_one() -> None:
    with connection.cursor() as cursor:
        # Django registers its own loader on a cursor whose connection's loader does not
        # tell the connection's time zone; this one does, so the cursor inherits it.
        loader = loader_of(cursor.cursor.adapters)
    assert loader.__module__ == "passage.postgres"
    assert loader.timezone == connection.timezone
