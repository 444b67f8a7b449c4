"""What the residence pages show, built from the selectors in the reader's language: a
person's parts and what is left, the photo checks' reasons in plain words."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passage.residence import selectors
from passage.residence.models import Confirmation, ResidencePhoto
from passage.residence.photo_reasons import PHOTO_REASONS
from passage.residence.provinces import BY_CODE
from passage.residence.services import missing_for_review
from passage.residence.states import (
    CLIENT_EDITABLE,
    NEXT_STEP,
    PERMANENT_RESIDENT,
    ConfirmationState,
)


@dataclass(frozen=True)
class Part:
    name: Promise
    done: bool
    url_name: str


@dataclass(frozen=True)
class PersonView:
    confirmation: Confirmation
    state_label: str
    next_step: Promise
    due_at: datetime
    overdue: bool
    parts: list[Part]
    missing: list[str]
    editable: bool
    ready_to_send: bool
    is_resident: bool
    province_name: str
    address_province_name: str
    has_ecopr: bool
    revoked: bool


def person(confirmation: Confirmation, *, now: datetime) -> PersonView:
    """One person's confirmation as the client sees it."""
    missing = missing_for_review(confirmation)
    state = ConfirmationState(confirmation.state)
    parts = [
        Part(
            _("Declaration of presence in Canada"),
            "declaration" not in missing,
            "residence:declaration",
        ),
        Part(_("Mailing address in Canada"), "address" not in missing, "residence:address"),
        Part(_("Photo"), "photo" not in missing, "residence:photo"),
    ]
    return PersonView(
        confirmation=confirmation,
        state_label=str(state.label),
        next_step=NEXT_STEP[state],
        due_at=confirmation.due_at,
        overdue=now > confirmation.due_at and state in CLIENT_EDITABLE,
        parts=parts,
        missing=missing,
        editable=state in CLIENT_EDITABLE,
        ready_to_send=state in CLIENT_EDITABLE and not missing,
        is_resident=state in PERMANENT_RESIDENT,
        province_name=_province(confirmation.presence_province),
        address_province_name=_province(confirmation.address_province),
        has_ecopr=state in PERMANENT_RESIDENT and selectors.current_ecopr(confirmation) is not None,
        revoked=confirmation.revoked_at is not None,
    )


def people(confirmations: Iterable[Confirmation], *, now: datetime) -> list[PersonView]:
    """Each person the client acts for."""
    return [person(confirmation, now=now) for confirmation in confirmations]


def _province(code: str) -> str:
    province = BY_CODE.get(code)
    return str(province.name) if province else ""


def photo_reasons(photo: ResidencePhoto | None) -> list[dict[str, Any]]:
    """Each failed check of the photo, with its reason in the reader's language."""
    if photo is None:
        return []
    return [
        {"code": failure["code"], "reason": PHOTO_REASONS.get(failure["code"], failure["code"])}
        for failure in photo.failures
    ]


def photo_context(confirmation: Confirmation) -> dict[str, Any]:
    """The latest photo's outcome for the photo page."""
    photo = confirmation.photo
    return {
        "photo": photo,
        "photo_reasons": photo_reasons(photo),
    }


def check_rows(photo: ResidencePhoto | None) -> list[dict[str, Any]]:
    """Every check of the photo for the officer: passed or not, measured against limits."""
    if photo is None:
        return []
    rows = []
    for passed, findings in ((False, photo.failures), (True, photo.passes)):
        for finding in findings:
            rows.append(
                {**finding, "passed": passed, "reason": PHOTO_REASONS.get(finding["code"], "")}
            )
    return rows
