"""The eCOPR of a confirmed person: its record built from the confirmation and the case,
drawn, given its QR credential and signed by the department with the keys in force, and
kept as it was signed. Verification reads the same keys (`trust`)."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from passage import errors
from passage.cases.models import Case
from passage.ecopr import credential, layout, signing
from passage.ecopr.keys import KeyMaterial, key_id, load_keys, load_or_generate_development_keys
from passage.ecopr.record import Bilingual, CoprRecord
from passage.intake.catalogue import category_name, current_programs
from passage.intake.flows.countries import country_name
from passage.residence.models import Confirmation
from passage.residence.provinces import BY_CODE

logger = logging.getLogger(__name__)

# "Family class, en dash, spouse": the class, an en dash, the category.
CLASS_SEPARATOR = " \N{EN DASH} "


def department_keys(now: datetime) -> KeyMaterial:
    """The keys eCOPRs are signed with: the configured folder's, made there for
    development when allowed and missing."""
    folder = Path(settings.PASSAGE_ECOPR_KEY_DIR)
    if settings.PASSAGE_ECOPR_DEVELOPMENT_KEYS:
        return _development_keys(folder, now)
    return load_keys(folder)


# The development keys read (or made) once per folder and process.
_DEVELOPMENT_KEYS: dict[Path, KeyMaterial] = {}


def _development_keys(folder: Path, now: datetime) -> KeyMaterial:
    if folder not in _DEVELOPMENT_KEYS:
        _DEVELOPMENT_KEYS[folder] = load_or_generate_development_keys(folder, now)
    return _DEVELOPMENT_KEYS[folder]


@dataclass(frozen=True)
class Trust:
    """What a verifier holds: the roots PDF signatures must chain to, and the public keys
    of QR credentials by key id."""

    roots: tuple[bytes, ...]
    public_keys: dict[bytes, bytes]


def trust(now: datetime) -> Trust:
    """The department's own trust list: its root and its signing certificate."""
    keys = department_keys(now)
    return Trust(
        roots=(keys.root_certificate,),
        public_keys={key_id(keys.signing_certificate): keys.signing_certificate},
    )


def record_of(confirmation: Confirmation, *, issued_at: datetime) -> CoprRecord:
    """Everything the person's COPR states, from the confirmation and its case."""
    case = confirmation.case
    definition = current_programs()[case.program.code].definition
    residence = definition.permanent_residence
    assert residence is not None
    category = Bilingual(
        en=_class_with_category(residence.class_en, case, "en"),
        fr=_class_with_category(residence.class_fr, case, "fr"),
    )
    province = BY_CODE.get(confirmation.presence_province)
    place = f"{confirmation.presence_city}, {province.code if province else ''}".strip(", ")
    assert confirmation.became_resident_on is not None
    assert confirmation.document_number
    assert confirmation.confirmed_by is not None
    office = confirmation.confirmed_by.office
    return CoprRecord(
        document_number=confirmation.document_number,
        uci=confirmation.uci,
        family_name=confirmation.family_name,
        given_names=confirmation.given_names,
        date_of_birth=confirmation.date_of_birth,
        place_of_birth=confirmation.place_of_birth,
        country_of_birth=confirmation.country_of_birth,
        country_of_birth_name=_country(confirmation.country_of_birth),
        sex=confirmation.sex,
        citizenship=confirmation.citizenship,
        citizenship_name=_country(confirmation.citizenship),
        travel_document_number=confirmation.travel_document_number,
        travel_document_country=confirmation.travel_document_country,
        travel_document_country_name=_country(confirmation.travel_document_country),
        travel_document_expiry=confirmation.travel_document_expiry,
        category=category,
        application_number=case.reference,
        became_permanent_resident_on=confirmation.became_resident_on,
        became_permanent_resident_at=Bilingual(
            en=f"{place} (virtual landing)", fr=f"{place} (admission virtuelle)"
        ),
        conditions=Bilingual(en="", fr=""),
        remarks=Bilingual(en=confirmation.remarks, fr=confirmation.remarks),
        officer_name=confirmation.confirmed_by.get_full_name()
        or confirmation.confirmed_by.username,
        issuing_office=Bilingual(
            en=office.name_en if office else "Immigration, Refugees and Citizenship Canada",
            fr=office.name_fr if office else "Immigration, Réfugiés et Citoyenneté Canada",
        ),
        issued_at=issued_at,
    )


def _class_with_category(class_name: str, case: Case, language: str) -> str:
    if not case.category:
        return class_name
    return (
        f"{class_name}{CLASS_SEPARATOR}{category_name(case.program.code, case.category, language)}"
    )


def _country(code: str) -> Bilingual:
    return Bilingual(en=country_name(code, "en"), fr=country_name(code, "fr"))


class SigningUnavailable(errors.Unavailable):
    """The signature's time stamp could not be had: nothing is issued or changed."""


@dataclass(frozen=True)
class IssuedDocument:
    pdf: bytes
    sha256: str
    qr_text: str


def issue_document(confirmation: Confirmation, *, issued_at: datetime) -> IssuedDocument:
    """Draw and sign the person's eCOPR."""
    keys = department_keys(issued_at)
    record = record_of(confirmation, issued_at=issued_at)
    assert confirmation.status_index is not None
    qr_text = credential.issue(
        credential.credential_of(record, confirmation.status_index),
        keys.signing_key,
        key_id(keys.signing_certificate),
    )
    language = confirmation.case.language if confirmation.case.language == "fr" else "en"
    drawn = layout.render(record, qr_text, language=language, verify_url=verify_url())
    try:
        signed = signing.sign_pdf(
            drawn, keys, timestamp_url=settings.PASSAGE_ECOPR_TIMESTAMP_URL or None
        )
    except TimestampRequestError as error:
        logger.warning("The time-stamping service did not answer: %s", error)
        raise SigningUnavailable(
            _(
                "The eCOPR could not be signed: the time-stamping service did not answer. "
                "Nothing was changed; try again in a few minutes."
            )
        ) from error
    return IssuedDocument(pdf=signed, sha256=hashlib.sha256(signed).hexdigest(), qr_text=qr_text)


def verify_url() -> str:
    """The public verification page, printed on each eCOPR."""
    return f"{settings.PASSAGE_SITE_URL.rstrip('/')}/en/verify/"
