"""What supervisors read of the outage register: every outage, newest first, with the
incidents the probes opened that nobody confirmed yet flagged; and one outage with its
trail of updates, each change worded (who, when, which field, before and after).

The public's reads (the status page) are in `selectors.py`; these show staff everything,
withdrawn records included."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.continuity.models import Component, Outage, OutageKind, OutageStatus, OutageUpdate

# How the trail names each field a change may touch.
FIELD_NAMES = {
    "status": gettext_lazy("Status"),
    "components": gettext_lazy("Services affected"),
    "starts_at": gettext_lazy("Start"),
    "ends_at": gettext_lazy("End"),
    "title_en": gettext_lazy("Title in English"),
    "title_fr": gettext_lazy("Title in French"),
    "text_en": gettext_lazy("What clients read, in English"),
    "text_fr": gettext_lazy("What clients read, in French"),
    "advice_en": gettext_lazy("What clients can do instead, in English"),
    "advice_fr": gettext_lazy("What clients can do instead, in French"),
    "withdrawn": gettext_lazy("Withdrawn, because"),
    "probes": gettext_lazy("What the probes found"),
}


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register."""

    outage: Outage
    services: list[str]
    to_confirm: bool


@dataclass(frozen=True)
class Change:
    """One field of an update: its name, and its value before and after, for people.
    A value is a string or an instant (shown in the reader's time zone)."""

    field: str
    before: str | datetime | None
    after: str | datetime | None


@dataclass(frozen=True)
class TrailEntry:
    """One update of an outage: when, by whom, the status then, and what changed."""

    at: datetime
    by: str
    status: str
    created: bool
    confirmed: bool
    changes: list[Change]
    # What the probes found, on an incident they opened.
    found: str


@dataclass(frozen=True)
class OutageView:
    """An outage as its page shows it."""

    outage: Outage
    kind: str
    status: str
    services: list[str]
    to_confirm: bool
    trail: list[TrailEntry]


def may_read_register(person: User) -> bool:
    """Whether a person reads the whole register: supervisors and superusers."""
    return person.is_active and (person.has_role(Role.SUPERVISOR) or person.is_superuser)


def register_rows(*, person: User) -> list[RegisterRow]:
    """Every outage, the latest to start first, for a supervisor; nothing for anyone else."""
    if not may_read_register(person):
        return []
    return [
        RegisterRow(
            outage=outage,
            services=service_names(outage.components),
            to_confirm=_unconfirmed(outage),
        )
        for outage in Outage.objects.order_by("-starts_at", "-pk")
    ]


def outage_for_supervisor(*, person: User, reference: str) -> OutageView:
    """One outage with its trail, oldest update first; Outage.DoesNotExist when there is
    none of that reference or the person may not read the register."""
    if not may_read_register(person):
        raise Outage.DoesNotExist
    outage = Outage.objects.get(reference=reference)
    updates = OutageUpdate.objects.filter(outage=outage).select_related("by").order_by("at", "pk")
    trail = []
    confirmation_seen = not outage.opened_by_probes
    for index, update in enumerate(updates):
        confirmed = not confirmation_seen and update.by_id is not None
        confirmation_seen = confirmation_seen or confirmed
        trail.append(_entry(update, created=index == 0, confirmed=confirmed))
    return OutageView(
        outage=outage,
        kind=str(OutageKind(outage.kind).label),
        status=str(OutageStatus(outage.status).label),
        services=service_names(outage.components),
        to_confirm=_unconfirmed(outage),
        trail=trail,
    )


def service_names(components: list[str]) -> list[str]:
    """The services' names in the active language, in the register's order."""
    named = dict(Component.choices)
    return [str(named.get(name, name)) for name in Component.values if name in components] + [
        name for name in components if name not in named
    ]


def _unconfirmed(outage: Outage) -> bool:
    return outage.opened_by_probes and outage.confirmed_at is None and not outage.is_withdrawn


def _entry(update: OutageUpdate, *, created: bool, confirmed: bool) -> TrailEntry:
    by = (update.by.get_full_name() or update.by.get_username()) if update.by else _("the probes")
    return TrailEntry(
        at=update.at,
        by=by,
        status=str(OutageStatus(update.status).label),
        created=created,
        confirmed=confirmed,
        changes=[_change(name, values) for name, values in update.changes.items()],
        found=str(_change("probes", update.changes["probes"]).after or "")
        if "probes" in update.changes
        else "",
    )


def _change(name: str, values: Any) -> Change:
    before, after = values if isinstance(values, list) and len(values) == 2 else (None, values)
    return Change(
        field=str(FIELD_NAMES.get(name, name)),
        before=_shown(name, before),
        after=_shown(name, after),
    )


def _shown(name: str, value: Any) -> str | datetime | None:
    """A value of the trail as people read it: services and statuses by their names,
    instants as instants."""
    if value is None or value == "":
        return None
    if name == "components" and isinstance(value, list):
        return ", ".join(service_names(value))
    if name == "status" and value in OutageStatus.values:
        return str(OutageStatus(value).label)
    if name in ("starts_at", "ends_at") and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return str(value)
