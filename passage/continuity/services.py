"""Writes to the outage register. Supervisors record planned maintenance (announced
ahead) and incidents, change them as they unfold, confirm what the probes opened, and
withdraw a record made in error; the probes open incidents by themselves.

Every change is an `OutageUpdate` kept as made, under the idempotency key of the form or
request that made it, and, once committed, recomputes relief for the obligations the
outage touched (`passage.continuity.relief`) and writes the static status page again
(`passage.continuity.status_copy`)."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage import clock, idempotency
from passage.accounts.models import User
from passage.accounts.roles import Role
from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted, StaleVersion
from passage.continuity.models import (
    Component,
    Outage,
    OutageKind,
    OutageStatus,
    OutageUpdate,
    ReferenceCounter,
)
from passage.continuity.models.register import STATUSES_OF
from passage.continuity.tasks import relieve_for_outage

MAX_TITLE = 200
MAX_TEXT = 5000
# Fields of an outage a change may set, and the public texts among them.
CHANGEABLE = (
    "status",
    "components",
    "starts_at",
    "ends_at",
    "title_en",
    "title_fr",
    "text_en",
    "text_fr",
    "advice_en",
    "advice_fr",
)
BILINGUAL = ("title", "text", "advice")
# What an incident the probes open says until staff describe it.
PROBE_TITLE = gettext_lazy("Service disruption detected")
PROBE_TEXT = gettext_lazy(
    "Our monitoring found that a service is not working. We are looking into it."
)

# What runs once a change to the register is committed: relief and the static copy.
# The app registers them when it starts (`apps.py`), so that this module stays below
# the ones that read the register.
after_change: list[Callable[[str], None]] = []


@dataclass(frozen=True)
class RegisterChange:
    """What a change returns: the outage as it is now, and whether this call was a
    replay of an earlier one with its key (then nothing was written)."""

    outage: Outage
    replayed: bool


def record_maintenance(
    *,
    actor: User,
    components: Iterable[str],
    starts_at: datetime,
    ends_at: datetime,
    texts: dict[str, str],
    idempotency_key: str,
    now: datetime | None = None,
) -> RegisterChange:
    """Announce planned maintenance of `components` from `starts_at` to `ends_at`, now.
    `texts` gives the public title, text and advice in both languages (`title_en`, ...);
    the titles are required."""
    at = now or clock.now()
    fields = _checked_fields(
        {"components": components, "starts_at": starts_at, "ends_at": ends_at, **texts},
        kind=OutageKind.PLANNED,
    )
    if fields["starts_at"] <= at:
        raise InvalidRequest(
            _("The maintenance has to start later than now."),
            errors={"starts_at": _("Give a start after the present time.")},
        )
    return _create(
        actor, OutageKind.PLANNED, OutageStatus.SCHEDULED, fields, idempotency_key, at, at
    )


def record_incident(
    *,
    actor: User,
    components: Iterable[str],
    starts_at: datetime,
    texts: dict[str, str],
    idempotency_key: str,
    ends_at: datetime | None = None,
    status: str = OutageStatus.INVESTIGATING,
    now: datetime | None = None,
) -> RegisterChange:
    """Record an incident of `components` since `starts_at` (ongoing, or over at
    `ends_at`). It may start in the past: an outage found late still gives relief."""
    at = now or clock.now()
    status = _status_of(OutageKind.INCIDENT, status)
    fields = _checked_fields(
        {"components": components, "starts_at": starts_at, "ends_at": ends_at, **texts},
        kind=OutageKind.INCIDENT,
    )
    _check_not_future(fields, at)
    return _create(actor, OutageKind.INCIDENT, status, fields, idempotency_key, at, None)


def open_from_probes(
    *,
    components: Iterable[str],
    starts_at: datetime,
    ends_at: datetime | None,
    detail: str,
    now: datetime | None = None,
) -> RegisterChange:
    """Open an incident the probes found: `components` failing since `starts_at` (and,
    when they are back already, until `ends_at`), for staff to confirm and describe. The
    same failure reported again (the same components and start) is a replay."""
    at = now or clock.now()
    names = sorted(set(components))
    texts = {
        **in_both_languages("title", PROBE_TITLE),
        **in_both_languages("text", PROBE_TEXT),
    }
    fields = _checked_fields(
        {"components": names, "starts_at": starts_at, "ends_at": ends_at, **texts},
        kind=OutageKind.INCIDENT,
    )
    key = f"probes:{','.join(names)}:{starts_at.isoformat()}"
    change = _create(
        None, OutageKind.INCIDENT, OutageStatus.INVESTIGATING, fields, key, at, None, detail
    )
    return change


def end_from_probes(*, reference: str, ends_at: datetime, now: datetime | None = None) -> bool:
    """Record the end the probes saw of an incident they opened and staff have not taken
    up yet: every component is back since `ends_at`. It goes to "monitoring", for staff
    to confirm and resolve. False (nothing changed) once it has an end, was withdrawn, or
    staff confirmed it: then it is theirs."""
    at = now or clock.now()
    key = f"probes:end:{reference}"
    with transaction.atomic():
        outage = _locked(reference)
        if (
            outage.ends_at is not None
            or outage.is_withdrawn
            or outage.confirmed_at is not None
            or ends_at <= outage.starts_at
        ):
            return False
        outage.ends_at = ends_at
        outage.status = OutageStatus.MONITORING
        diff = {"ends_at": [None, ends_at.isoformat()], "status": ["investigating", "monitoring"]}
        outage.updated_at = at
        outage.version += 1
        outage.save()
        _update(outage, None, at, diff, key, _hash({"reference": reference, "end": ends_at}))
        _after_commit(outage.reference)
    return True


def change_outage(
    *,
    actor: User,
    reference: str,
    changes: dict[str, Any],
    idempotency_key: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> RegisterChange:
    """Change an outage: its status, components, times or public texts (`CHANGEABLE`).
    A status that ends it sets its end to now unless one is given; a change by staff
    confirms an incident the probes opened."""
    _check_staff(actor)
    at = now or clock.now()
    unknown = set(changes) - set(CHANGEABLE)
    if unknown:
        raise InvalidRequest(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    key = _actor_key(actor, idempotency_key)
    request_hash = _hash({"reference": reference, **changes})
    earlier = _earlier(key, request_hash)
    if earlier is not None:
        return RegisterChange(outage=earlier, replayed=True)
    with transaction.atomic():
        outage = _locked(reference)
        if expected_version is not None and outage.version != expected_version:
            raise StaleVersion(
                _("Someone changed this outage since you opened it. Look at it again.")
            )
        if outage.is_withdrawn:
            raise InvalidRequest(_("This outage was withdrawn; it can no longer change."))
        merged = {name: getattr(outage, name) for name in CHANGEABLE} | changes
        if "status" in changes:
            merged["status"] = _status_of(OutageKind(outage.kind), changes["status"])
            if merged["status"] in (OutageStatus.COMPLETED, OutageStatus.RESOLVED) and (
                "ends_at" not in changes and (outage.ends_at is None or outage.ends_at > at)
            ):
                merged["ends_at"] = at
        fields = _checked_fields(merged, kind=OutageKind(outage.kind))
        if outage.kind == OutageKind.INCIDENT:
            _check_not_future(fields, at)
        before = {name: _plain(getattr(outage, name)) for name in CHANGEABLE}
        for name, value in fields.items():
            setattr(outage, name, value)
        if outage.confirmed_at is None:
            outage.confirmed_at = at
        diff = {
            name: [before[name], _plain(fields[name])]
            for name in CHANGEABLE
            if before[name] != _plain(fields[name])
        }
        return _save_change(outage, actor, at, diff, key, request_hash)


def withdraw_outage(
    *,
    actor: User,
    reference: str,
    reason: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> RegisterChange:
    """Withdraw a record made in error: it stays in the register, marked withdrawn with
    the reason, and gives no relief from now on: the dates it moved go back."""
    _check_staff(actor)
    at = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise InvalidRequest(
            _("Say why the record is withdrawn."),
            errors={"reason": _("Say why the record is withdrawn.")},
        )
    key = _actor_key(actor, idempotency_key)
    request_hash = _hash({"reference": reference, "withdraw": reason})
    earlier = _earlier(key, request_hash)
    if earlier is not None:
        return RegisterChange(outage=earlier, replayed=True)
    with transaction.atomic():
        outage = _locked(reference)
        if outage.is_withdrawn:
            return RegisterChange(outage=outage, replayed=True)
        outage.withdrawn_at = at
        outage.withdrawn_because = reason
        diff = {"withdrawn": [None, reason]}
        return _save_change(outage, actor, at, diff, key, request_hash)


def in_both_languages(field: str, message: Any) -> dict[str, str]:
    """`{field}_en` and `{field}_fr`: a translatable message as each language says it."""
    texts = {}
    for language in ("en", "fr"):
        with translation.override(language):
            texts[f"{field}_{language}"] = str(message)
    return texts


def _create(
    actor: User | None,
    kind: OutageKind,
    status: OutageStatus,
    fields: dict[str, Any],
    idempotency_key: str,
    at: datetime,
    announced_at: datetime | None,
    detail: str = "",
) -> RegisterChange:
    if actor is not None:
        _check_staff(actor)
        key = _actor_key(actor, idempotency_key)
    else:
        key = idempotency_key
    request_hash = _hash({"kind": kind, **fields})
    earlier = _earlier(key, request_hash)
    if earlier is not None:
        return RegisterChange(outage=earlier, replayed=True)

    def write() -> RegisterChange:
        outage = Outage.objects.create(
            reference=_next_reference(at),
            kind=kind,
            status=status,
            announced_at=announced_at,
            opened_by=actor,
            opened_by_probes=actor is None,
            confirmed_at=at if actor is not None else None,
            created_at=at,
            updated_at=at,
            **fields,
        )
        changes = {name: [None, _plain(value)] for name, value in fields.items()}
        if detail:
            changes["probes"] = [None, detail]
        _update(outage, actor, at, changes, key, request_hash)
        _after_commit(outage.reference)
        return RegisterChange(outage=outage, replayed=False)

    return idempotency.write_or_replay(
        write,
        earlier=lambda: _earlier_update(key),
        replay=lambda update: _replay(update, request_hash),
    )


def _save_change(
    outage: Outage,
    actor: User,
    at: datetime,
    diff: dict[str, Any],
    key: str,
    request_hash: str,
) -> RegisterChange:
    outage.updated_at = at
    outage.version += 1
    outage.save()
    _update(outage, actor, at, diff, key, request_hash)
    _after_commit(outage.reference)
    return RegisterChange(outage=outage, replayed=False)


def _update(
    outage: Outage,
    actor: User | None,
    at: datetime,
    changes: dict[str, Any],
    key: str,
    request_hash: str,
) -> None:
    OutageUpdate.objects.create(
        outage=outage,
        at=at,
        by=actor,
        status=outage.status,
        text_en=outage.text_en,
        text_fr=outage.text_fr,
        changes=changes,
        idempotency_key=key,
        request_hash=request_hash,
    )


def _after_commit(reference: str) -> None:
    # Queued in the change's transaction: with the database task backend the job commits
    # with the change, so no change to the register misses its relief.
    relieve_for_outage.enqueue(reference)
    for action in after_change:
        transaction.on_commit(lambda action=action: action(reference))  # type: ignore[misc]


def _next_reference(at: datetime) -> str:
    """`OUT-<year>-<number>`: numbers run from 1 each year, taken under a row lock."""
    ReferenceCounter.objects.get_or_create(year=at.year)
    counter = ReferenceCounter.objects.select_for_update().get(year=at.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"OUT-{at.year}-{counter.last:04d}"


def _checked_fields(fields: dict[str, Any], *, kind: OutageKind) -> dict[str, Any]:
    """The fields cleaned, or InvalidRequest naming each wrong one."""
    errors: dict[str, str] = {}
    components = sorted(set(fields.get("components") or ()))
    if not components:
        errors["components"] = _("Choose at least one service.")
    elif not set(components) <= set(Component.values):
        errors["components"] = _("Choose services from the list.")
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        errors["starts_at"] = _("Give the date and time it starts.")
    if kind == OutageKind.PLANNED and ends_at is None:
        errors["ends_at"] = _("Give the date and time the maintenance ends.")
    if ends_at is not None and isinstance(starts_at, datetime) and ends_at <= starts_at:
        errors["ends_at"] = _("The end has to come after the start.")
    cleaned: dict[str, Any] = {
        "components": components,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    for field in BILINGUAL:
        for language in ("en", "fr"):
            name = f"{field}_{language}"
            value = str(fields.get(name) or "").strip()
            limit = MAX_TITLE if field == "title" else MAX_TEXT
            if field == "title" and not value:
                errors[name] = _("Give a title in this language.")
            elif len(value) > limit:
                errors[name] = _("Write at most %(limit)s characters.") % {"limit": limit}
            cleaned[name] = value
    if "status" in fields:
        cleaned["status"] = fields["status"]
    if errors:
        raise InvalidRequest(_("The outage record has errors."), errors=errors)
    return cleaned


def _check_not_future(fields: dict[str, Any], at: datetime) -> None:
    if fields["starts_at"] > at:
        raise InvalidRequest(
            _("An incident cannot start in the future; announce maintenance instead."),
            errors={"starts_at": _("Give a start no later than now.")},
        )
    if fields["ends_at"] is not None and fields["ends_at"] > at:
        raise InvalidRequest(
            _("An incident cannot end in the future; leave the end empty while it lasts."),
            errors={"ends_at": _("Give an end no later than now.")},
        )


def _status_of(kind: OutageKind, status: str) -> OutageStatus:
    if status not in STATUSES_OF[kind]:
        raise InvalidRequest(
            _("This status does not apply to this kind of outage."),
            errors={"status": _("Choose a status from the list.")},
        )
    return OutageStatus(status)


def _check_staff(actor: User) -> None:
    if not (actor.has_role(Role.SUPERVISOR) or actor.is_superuser):
        raise NotPermitted(_("Only a supervisor can record outages."))


def _locked(reference: str) -> Outage:
    outage = Outage.objects.select_for_update().filter(reference=reference).first()
    if outage is None:
        raise InvalidRequest(_("There is no outage %(reference)s.") % {"reference": reference})
    return outage


def _actor_key(actor: User, key: str) -> str:
    idempotency.check_key(key, error=InvalidRequest)
    return f"{actor.pk}:{key}"


def _earlier_update(key: str) -> OutageUpdate | None:
    return OutageUpdate.objects.select_related("outage").filter(idempotency_key=key).first()


def _earlier(key: str, request_hash: str) -> Outage | None:
    update = _earlier_update(key)
    return None if update is None else _replay(update, request_hash).outage


def _replay(update: OutageUpdate, request_hash: str) -> RegisterChange:
    idempotency.check_same_request(
        update.request_hash,
        request_hash,
        error=IdempotencyConflict,
        message=_("This idempotency key was already used for a different change."),
    )
    return RegisterChange(outage=update.outage, replayed=True)


def _hash(request: dict[str, Any]) -> str:
    text = json.dumps({key: _plain(value) for key, value in request.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: instants as ISO 8601, sets as sorted lists."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    return value
