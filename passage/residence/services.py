"""The client's part of the confirmation of permanent residence: taking up the
invitation, declaring presence in Canada, giving a mailing address in Canada, uploading a
photo that the checks explain, and sending it all for review. Each step is an event on the
approved case, written by the cases engine under the case's lock with its idempotency
key; the principal applicant acts for the dependants."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.commands.engine import Call, CommandResult, CommandSpec, run
from passage.cases.errors import InvalidRequest
from passage.cases.models import Case
from passage.intake.documents import CheckedDocument, stored_for_request
from passage.photos.checks import PhotoCheck, check_photo
from passage.residence.errors import ConfirmationNotFound, NotEditable, NotReady
from passage.residence.invitation_links import token_matches
from passage.residence.models import Confirmation, ResidencePhoto
from passage.residence.photo_reasons import PHOTO_REASONS
from passage.residence.photo_settings import photo_limits
from passage.residence.provinces import BY_CODE, normalise_postal_code, postal_code_fits
from passage.residence.specs import CHECK_PHOTO, DECLARE_PRESENCE, GIVE_ADDRESS, SUBMIT
from passage.residence.states import CLIENT_EDITABLE, ConfirmationState

# The statement the client signs, kept word for word (its version) in the event.
PRESENCE_STATEMENT_VERSION = "presence-v1"
MAX_LINE = 200
MAX_CITY = 100


def invitation(invitation_id: UUID, token: str) -> Confirmation:
    """The principal applicant's confirmation an invitation link names, when its token is
    the one sent to the invited address; ConfirmationNotFound otherwise (a wrong token and
    no invitation answer the same)."""
    principal = (
        Confirmation.objects.filter(public_id=invitation_id, position=0)
        .select_related("case__program")
        .first()
    )
    if principal is None or not token_matches(principal, token):
        raise ConfirmationNotFound(_("This invitation link does not work."))
    return principal


def take_up_invitation(*, person: User, invitation_id: UUID, token: str) -> int:
    """Let the signed-in person act for the confirmations of the case their invitation
    link names: the token shows they received the email at the invited address. Returns
    how many they now act for; taking it up again changes nothing; an invitation another
    account took up, or a staff account, is refused as not found."""
    principal = invitation(invitation_id, token)
    if person.is_department_staff:
        raise ConfirmationNotFound(_("This invitation link does not work."))
    with transaction.atomic():
        locked = Confirmation.objects.select_for_update().get(pk=principal.pk)
        if locked.client_id not in (None, person.pk):
            raise ConfirmationNotFound(
                _("This invitation was taken up by another account. Contact us if it was not you.")
            )
        Confirmation.objects.filter(case_id=locked.case_id, client__isnull=True).update(
            client=person
        )
        return Confirmation.objects.filter(case_id=locked.case_id, client=person).count()


def declare_presence(
    *,
    person: User,
    confirmation_id: UUID,
    in_canada: bool,
    city: str,
    province: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Record the person's signed statement that they are physically in Canada, where,
    and when: an event on the case that the officer reads before confirming."""
    city = city.strip()
    errors = {}
    if not in_canada:
        errors["in_canada"] = _(
            "You can confirm permanent residence online only while you are in Canada."
        )
    if not city or len(city) > MAX_CITY:
        errors["city"] = _("Enter the city or town where you are (at most 100 characters).")
    if province not in BY_CODE:
        errors["province"] = _("Select the province or territory from the list.")
    if errors:
        raise InvalidRequest(_("The declaration could not be recorded."), errors=errors)
    at = now or clock.now()

    def effect(confirmation: Confirmation) -> None:
        confirmation.presence_declared_at = at
        confirmation.presence_city = city
        confirmation.presence_province = province

    payload = {
        "statement": PRESENCE_STATEMENT_VERSION,
        "city": city,
        "province": province,
    }
    return _client_step(
        DECLARE_PRESENCE, person, confirmation_id, idempotency_key, at, payload, effect
    )


@dataclass(frozen=True)
class Address:
    line: str
    city: str
    province: str
    postal_code: str


def give_address(
    *,
    person: User,
    confirmation_id: UUID,
    address: Address,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Record the mailing address in Canada the card is mailed to, checked: a province
    or territory from the list and a postal code of the form A1A 1A1 that begins with
    one of that province's letters."""
    checked = check_address(address)
    at = now or clock.now()

    def effect(confirmation: Confirmation) -> None:
        confirmation.address_line = checked.line
        confirmation.address_city = checked.city
        confirmation.address_province = checked.province
        confirmation.address_postal_code = checked.postal_code
        confirmation.address_given_at = at

    payload = {
        "line": checked.line,
        "city": checked.city,
        "province": checked.province,
        "postal_code": checked.postal_code,
    }
    return _client_step(GIVE_ADDRESS, person, confirmation_id, idempotency_key, at, payload, effect)


def check_address(address: Address) -> Address:
    """The address with its postal code written A1A 1A1, or InvalidRequest naming each
    field that is wrong."""
    line, city = address.line.strip(), address.city.strip()
    errors = {}
    if not line or len(line) > MAX_LINE:
        errors["line"] = _("Enter the street address or post office box (at most 200 characters).")
    if not city or len(city) > MAX_CITY:
        errors["city"] = _("Enter the city or town (at most 100 characters).")
    province = address.province if address.province in BY_CODE else ""
    if not province:
        errors["province"] = _("Select the province or territory from the list.")
    postal_code = normalise_postal_code(address.postal_code)
    if postal_code is None:
        errors["postal_code"] = _("Enter a Canadian postal code, such as K1A 0B1.")
    elif province and not postal_code_fits(province, postal_code):
        errors["postal_code"] = _(
            "This postal code is not in %(province)s: postal codes there begin with %(letters)s."
        ) % {
            "province": BY_CODE[province].name,
            "letters": _(" or ").join(BY_CODE[province].first_letters),
        }
    if errors:
        raise InvalidRequest(_("The address could not be recorded."), errors=errors)
    assert postal_code is not None
    return Address(line=line, city=city, province=province, postal_code=postal_code)


def upload_photo(
    *,
    person: User,
    confirmation_id: UUID,
    filename: str,
    content: bytes,
    idempotency_key: str,
    now: datetime | None = None,
) -> tuple[ResidencePhoto, PhotoCheck]:
    """Check a photo offline and keep it with what the checks found; a photo that fails
    is kept too (the officer and the client see why), and the client may try again. The
    photo kept is the checked image re-encoded without its metadata."""
    at = now or clock.now()
    check = check_photo(content, photo_limits())
    if check.normalised is None:
        # A file-level fault (not a picture, too large, too small): nothing worth keeping.
        reasons = [str(PHOTO_REASONS.get(finding.code, finding.code)) for finding in check.failures]
        raise InvalidRequest(
            _("The photo could not be used."),
            errors={"photo": " ".join(reasons) or _("Upload a photo in JPEG or PNG format.")},
        )
    digest = hashlib.sha256(check.normalised).hexdigest()
    document = CheckedDocument(
        kind="pr-photo",
        filename=_photo_name(filename),
        content=check.normalised,
        content_type="image/jpeg",
        sha256=digest,
    )
    failures = [_finding(finding) for finding in check.failures]
    payload = {
        "sha256": digest,
        "accepted": check.accepted,
        "failures": [f["code"] for f in failures],
    }
    kept: list[ResidencePhoto] = []
    with stored_for_request([document]) as stored:

        def effect(confirmation: Confirmation) -> None:
            photo = ResidencePhoto.objects.create(
                confirmation=confirmation,
                uploaded_at=at,
                uploaded_by=person,
                accepted_by_checks=check.accepted,
                failures=failures,
                passes=[_finding(finding) for finding in check.passed],
                width=check.width,
                height=check.height,
                **document.stored_as(stored[0][1]),
            )
            confirmation.photo = photo
            if not check.accepted:
                confirmation.state = ConfirmationState.PHOTO_REJECTED
            kept.append(photo)

        result = _client_step(
            CHECK_PHOTO, person, confirmation_id, idempotency_key, at, payload, effect
        )
    if result.replayed:
        photo = (
            ResidencePhoto.objects.filter(confirmation__public_id=confirmation_id, sha256=digest)
            .order_by("-uploaded_at")
            .first()
        )
        assert photo is not None
        return photo, check
    return kept[0], check


def _photo_name(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0][:100] or "photo"
    return f"{stem}.jpg"


def _finding(finding: Any) -> dict[str, Any]:
    low, high = finding.expected
    return {"code": finding.code, "measured": finding.measured, "min": low, "max": high}


def submit_for_review(
    *, person: User, confirmation_id: UUID, idempotency_key: str, now: datetime | None = None
) -> CommandResult:
    """Send the declaration, address and photo to an officer; each must be there and the
    photo must have passed its checks."""
    at = now or clock.now()

    def effect(confirmation: Confirmation) -> None:
        missing = missing_for_review(confirmation)
        if missing:
            raise NotReady(_("Some parts are not done yet."), missing=missing)
        confirmation.state = ConfirmationState.READY_FOR_REVIEW
        confirmation.submitted_at = at
        confirmation.returned_reason = ""

    return _client_step(SUBMIT, person, confirmation_id, idempotency_key, at, {}, effect)


def missing_for_review(confirmation: Confirmation) -> list[str]:
    """What the client has still to do before the confirmation can be reviewed."""
    missing = []
    if confirmation.presence_declared_at is None:
        missing.append("declaration")
    if confirmation.address_given_at is None:
        missing.append("address")
    photo = confirmation.photo
    if photo is None or not photo.accepted_by_checks:
        missing.append("photo")
    return missing


def _client_step(
    spec: CommandSpec,
    person: User,
    confirmation_id: UUID,
    idempotency_key: str,
    at: datetime,
    payload: dict[str, Any],
    change: Any,
) -> CommandResult:
    """Run one client step on the person's confirmation: the cases engine locks the case,
    answers a replay, and appends the event; `change` updates the confirmation row."""
    confirmation = (
        Confirmation.objects.filter(public_id=confirmation_id, client=person)
        .select_related("case")
        .first()
    )
    if confirmation is None:
        raise ConfirmationNotFound(_("There is no such confirmation for this account."))

    def effect(case: Case, when: datetime) -> None:
        row = Confirmation.objects.select_for_update().get(pk=confirmation.pk)
        if row.state not in CLIENT_EDITABLE:
            raise NotEditable(
                _("This confirmation is with an officer or done: it can no longer be changed.")
            )
        change(row)
        if row.state == ConfirmationState.INVITED:
            row.state = ConfirmationState.IN_PROGRESS
        if (
            spec is CHECK_PHOTO
            and row.state == ConfirmationState.PHOTO_REJECTED
            and row.photo
            and row.photo.accepted_by_checks
        ):
            row.state = ConfirmationState.IN_PROGRESS
        if row.state != confirmation.state:
            row.state_changed_at = when
        row.version += 1
        row.save()

    return run(
        spec,
        Call(confirmation.case.public_id, person, idempotency_key, now=at),
        {"person": confirmation.position, **payload},
        effect,
    )
