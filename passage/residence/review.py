"""The officer's part of the confirmation of permanent residence: complete what the COPR
states, return a confirmation to the client with a reason, confirm permanent residence
(the virtual landing, and the eCOPR issued and signed) one by one or in a batch; and a
supervisor's revocation of an eCOPR, which the public revocation list then shows."""

import hashlib
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts.models import User
from passage.cases.actors import SYSTEM
from passage.cases.commands.engine import Call, CommandResult, CommandSpec, run
from passage.cases.errors import InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.cases.notifications import REFERENCE_END
from passage.intake.documents import CheckedDocument, stored_for_request
from passage.intake.flows.countries import COUNTRIES
from passage.languages import in_language
from passage.outbox.links import absolute_url
from passage.outbox.services import queue_email
from passage.residence import selectors
from passage.residence.errors import ConfirmationNotFound, NotReady
from passage.residence.issuing import SigningUnavailable, issue_document
from passage.residence.models import Confirmation, Ecopr
from passage.residence.specs import CONFIRM, MOVE_DUE, RETURN, REVOKE
from passage.residence.states import PERMANENT_RESIDENT, ConfirmationState

MAX_REASON = 2000
SEXES = ("F", "M", "X")


@dataclass(frozen=True)
class CoprDetails:
    """What the COPR states beyond the names and date of birth, as the officer checked it
    against the application and the travel document."""

    uci: str
    place_of_birth: str
    country_of_birth: str
    sex: str
    citizenship: str
    travel_document_number: str
    travel_document_country: str
    travel_document_expiry: date | None
    remarks: str = ""


def check_details(details: CoprDetails) -> CoprDetails:
    """The details cleaned, or InvalidRequest naming each field that is wrong."""
    errors = {}
    uci = "".join(ch for ch in details.uci if ch.isdigit())
    if len(uci) not in (8, 10):
        errors["uci"] = _("Enter the client's UCI: 8 or 10 digits.")
    place = details.place_of_birth.strip()
    if not place or len(place) > 300:
        errors["place_of_birth"] = _("Enter the place of birth (at most 300 characters).")
    for name in ("country_of_birth", "citizenship", "travel_document_country"):
        if getattr(details, name) not in COUNTRIES:
            errors[name] = _("Select a country from the list.")
    if details.sex not in SEXES:
        errors["sex"] = _("Select F, M or X, as on the travel document.")
    number = details.travel_document_number.strip().upper()
    if not number or len(number) > 30 or not number.isalnum():
        errors["travel_document_number"] = _(
            "Enter the travel document number: letters and digits, at most 30."
        )
    if len(details.remarks) > MAX_REASON:
        errors["remarks"] = _("Write at most 2,000 characters.")
    if errors:
        raise InvalidRequest(_("The details could not be saved."), errors=errors)
    return CoprDetails(
        uci=uci,
        place_of_birth=place,
        country_of_birth=details.country_of_birth,
        sex=details.sex,
        citizenship=details.citizenship,
        travel_document_number=number,
        travel_document_country=details.travel_document_country,
        travel_document_expiry=details.travel_document_expiry,
        remarks=details.remarks.strip(),
    )


def details_of(confirmation: Confirmation) -> CoprDetails:
    """The details as the confirmation holds them now."""
    return CoprDetails(
        **{field.name: getattr(confirmation, field.name) for field in fields(CoprDetails)}
    )


def details_complete(confirmation: Confirmation) -> bool:
    """Whether the confirmation states everything a COPR needs."""
    try:
        check_details(details_of(confirmation))
    except InvalidRequest:
        return False
    return True


def return_to_client(
    *,
    officer: User,
    confirmation_id: UUID,
    reason: str,
    photo_rejected: bool,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Send a confirmation under review back to the client with the officer's reason
    (a photo the officer does not accept, a declaration to redo); the client is told."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidRequest(
            _("The confirmation could not be returned."),
            errors={"reason": _("Say what the client must change (at most 2,000 characters).")},
        )

    def change(row: Confirmation, case: Case, at: datetime) -> None:
        _must_be_ready(row)
        row.state = (
            ConfirmationState.PHOTO_REJECTED if photo_rejected else ConfirmationState.RETURNED
        )
        if photo_rejected:
            # The photo stays on file with its checks; the client must send another.
            row.photo = None
        row.returned_reason = reason
        _tell_client(row, case, at)

    payload = {"reason": reason, "photo_rejected": photo_rejected}
    return _officer_step(RETURN, officer, confirmation_id, idempotency_key, now, payload, change)


def confirm_residence(
    *,
    officer: User,
    confirmation_id: UUID,
    details: CoprDetails | None,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Confirm that the person became a permanent resident today, where they declared
    they are in Canada (the virtual landing), and issue their signed eCOPR; with
    `details`, save them first. The client is told to sign in and download it."""
    checked = check_details(details) if details is not None else None
    at = now or clock.now()
    landed_on = at.astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)).date()

    def change(row: Confirmation, case: Case, when: datetime) -> None:
        _must_be_ready(row)
        if checked is not None:
            for name, value in vars(checked).items():
                setattr(row, name, value)
        if not row.uci:
            row.uci = generated_uci(row)
        if not details_complete(row):
            raise NotReady(_("Complete the details the COPR states before confirming."))
        row.state = ConfirmationState.CONFIRMED
        row.confirmed_at = when
        row.confirmed_by = officer
        row.became_resident_on = landed_on
        row.document_number = document_number(row)
        row.status_index = row.pk
        issued = issue_document(row, issued_at=when)
        document = CheckedDocument(
            kind="ecopr",
            filename=f"eCOPR-{row.document_number}.pdf",
            content=issued.pdf,
            content_type="application/pdf",
            sha256=issued.sha256,
        )
        with stored_for_request([document]) as stored:
            Ecopr.objects.create(
                confirmation=row, issued_at=when, **document.stored_as(stored[0][1])
            )
        _tell_client(row, case, when)

    confirmation = _confirmation(confirmation_id)
    payload = {
        "date": landed_on.isoformat(),
        "place": _place(confirmation),
        "document_number": document_number(confirmation),
    }
    return _officer_step(CONFIRM, officer, confirmation_id, idempotency_key, at, payload, change)


@dataclass(frozen=True)
class BatchOutcome:
    confirmed: list[Confirmation]
    not_confirmed: dict[UUID, str]


def confirm_batch(
    *,
    officer: User,
    confirmation_ids: list[UUID],
    idempotency_key: str,
    now: datetime | None = None,
) -> BatchOutcome:
    """Confirm each confirmation of the list whose details are complete, each in its own
    transaction (one that cannot be confirmed does not hold back the others); says why
    each of the others was not."""
    at = now or clock.now()
    confirmed, not_confirmed = [], {}
    for confirmation_id in dict.fromkeys(confirmation_ids):
        try:
            confirm_residence(
                officer=officer,
                confirmation_id=confirmation_id,
                details=None,
                idempotency_key=f"{idempotency_key}:{confirmation_id}",
                now=at,
            )
        except SigningUnavailable:
            # Every one after would fail alike: stop, and say so.
            raise
        except (InvalidRequest, NotReady, NotPermitted, ConfirmationNotFound) as error:
            not_confirmed[confirmation_id] = error.message
            continue
        confirmed.append(Confirmation.objects.get(public_id=confirmation_id))
    return BatchOutcome(confirmed=confirmed, not_confirmed=not_confirmed)


def revoke_ecopr(
    *,
    supervisor: User,
    confirmation_id: UUID,
    reason: str,
    idempotency_key: str,
    now: datetime | None = None,
) -> CommandResult:
    """Put a confirmed person's eCOPR on the public revocation list, with the reason
    (issued in error, replaced by an amended one): verifiers then see it revoked."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidRequest(
            _("The eCOPR could not be revoked."),
            errors={"reason": _("Say why it is revoked (at most 2,000 characters).")},
        )
    confirmation = _confirmation(confirmation_id)

    def change(row: Confirmation, case: Case, when: datetime) -> None:
        if row.state not in PERMANENT_RESIDENT or row.revoked_at is not None:
            raise NotReady(_("Only an eCOPR in force can be revoked."))
        row.revoked_at = when
        row.revoked_reason = reason

    payload = {"document_number": confirmation.document_number or "", "reason": reason}
    return _officer_step(REVOKE, supervisor, confirmation_id, idempotency_key, now, payload, change)


def document_number(confirmation: Confirmation) -> str:
    """The COPR number of the person's eCOPR: C and eleven digits, one per person."""
    return f"C{confirmation.pk:011d}"


def generated_uci(confirmation: Confirmation) -> str:
    """A ten-digit UCI for a person who has none yet, stable for the same person."""
    seed = f"{confirmation.case.reference}:{confirmation.position}".encode()
    return f"{int.from_bytes(hashlib.sha256(seed).digest()[:8], 'big') % 10**10:010d}"


def _place(confirmation: Confirmation) -> str:
    return f"{confirmation.presence_city}, {confirmation.presence_province}"


def _must_be_ready(row: Confirmation) -> None:
    if row.state != ConfirmationState.READY_FOR_REVIEW:
        raise NotReady(_("This confirmation is not waiting for review."))


def _confirmation(confirmation_id: UUID) -> Confirmation:
    confirmation = (
        Confirmation.objects.filter(public_id=confirmation_id).select_related("case").first()
    )
    if confirmation is None:
        raise ConfirmationNotFound(_("There is no such confirmation."))
    return confirmation


def _officer_step(
    spec: CommandSpec,
    officer: User,
    confirmation_id: UUID,
    idempotency_key: str,
    now: datetime | None,
    payload: dict[str, Any],
    change: Any,
) -> CommandResult:
    """Run one officer step on a confirmation in the officer's reach: the cases engine
    checks who may act, locks the case, answers a replay and appends the event; `change`
    updates the confirmation row."""
    if selectors.is_reviewer(officer):
        confirmation = selectors.confirmation_for_staff(officer, confirmation_id)
    else:
        confirmation = _confirmation(confirmation_id)
    if confirmation.client_id == officer.pk:
        raise NotPermitted(
            _("You act for this person as a client: another officer must handle it.")
        )
    at = now or clock.now()

    def effect(case: Case, when: datetime) -> None:
        row = Confirmation.objects.select_for_update().get(pk=confirmation.pk)
        before = row.state
        change(row, case, when)
        if row.state != before:
            row.state_changed_at = when
        row.version += 1
        row.save()

    with transaction.atomic():
        return run(
            spec,
            Call(confirmation.case.public_id, officer, idempotency_key, now=at),
            {"person": confirmation.position, **payload},
            effect,
        )


def _tell_client(row: Confirmation, case: Case, at: datetime) -> None:
    """A link-only email to the account that acts for the person."""
    client = row.client
    if client is None or not client.email:
        return
    language = client.preferred_language if client.preferred_language == "fr" else "en"
    with translation.override(language):
        link = absolute_url(reverse("residence:home"))
    queue_email(
        kind="pr_update",
        case=case,
        to_email=client.email,
        language=language,
        template="pr_update",
        context={
            "link": link,
            "program": in_language(case.program.name_en, case.program.name_fr, language),
            "reference_end": case.reference[-REFERENCE_END:],
        },
        now=at,
    )


def move_due_date(
    *, confirmation_id: UUID, due_at: datetime, outages: list[str], now: datetime
) -> CommandResult | None:
    """Relief by rule: the date the client has until, moved for the outages of Passage
    that touched it (or moved back when the register was corrected), an event on the
    case. None when the confirmation left the client's hands meanwhile (nothing to
    move) or has that date already."""
    confirmation = _confirmation(confirmation_id)
    if confirmation.due_at == due_at and confirmation.relief_outages == outages:
        return None
    payload = {
        "person": confirmation.position,
        "from": confirmation.due_at.isoformat(),
        "to": due_at.isoformat(),
        "outages": outages,
    }

    def effect(case: Case, when: datetime) -> None:
        row = Confirmation.objects.select_for_update().get(pk=confirmation.pk)
        row.due_at = due_at
        row.relief_outages = outages
        row.version += 1
        row.save(update_fields=["due_at", "relief_outages", "version"])

    key = f"relief:{confirmation.pk}:{confirmation.version}"
    return run(MOVE_DUE, Call(confirmation.case.public_id, SYSTEM, key, now=now), payload, effect)
