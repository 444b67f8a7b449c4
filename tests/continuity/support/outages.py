"""Outages for the status page's tests, recorded through the register's services."""

import uuid
from datetime import datetime
from typing import Any

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.continuity import services
from passage.continuity.models import Outage
from tests.builders import create_user


def supervisor() -> User:
    return create_user(Role.SUPERVISOR)


def texts(title: str, **more: str) -> dict[str, str]:
    """Public texts in both languages; the French one marked so that a test can tell."""
    fields = {"title_en": title, "title_fr": f"{title} (fr)"}
    for name, value in more.items():
        fields[f"{name}_en"] = value
        fields[f"{name}_fr"] = f"{value} (fr)"
    return fields


def incident(
    actor: User, components: list[str], starts_at: datetime, now: datetime, **fields: Any
) -> Outage:
    title = fields.pop("title", "Uploads fail")
    return services.record_incident(
        actor=actor,
        components=components,
        starts_at=starts_at,
        texts=texts(title, **fields.pop("texts", {})),
        idempotency_key=str(uuid.uuid4()),
        now=now,
        **fields,
    ).outage


def maintenance(
    actor: User, components: list[str], starts_at: datetime, ends_at: datetime, now: datetime
) -> Outage:
    return services.record_maintenance(
        actor=actor,
        components=components,
        starts_at=starts_at,
        ends_at=ends_at,
        texts=texts("Database upgrade", text="We upgrade the database.", advice="File later."),
        idempotency_key=str(uuid.uuid4()),
        now=now,
    ).outage
