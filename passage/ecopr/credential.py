"""The signed credential an eCOPR's QR code carries (pure: no Django), built as the EU
digital COVID certificate is: claims, CBOR, a COSE_Sign1 signature (a CWT, ES256),
zlib, Base45 and the prefix `PRC1:`, all within the QR code's alphanumeric characters.

The claims (RFC 8392 numbers):

    1 (iss)  "CA"
    6 (iat)  when the COPR was issued, in whole seconds since 1970 (UTC)
    -70001   the COPR's essentials (below); a private-use claim (beyond -65536)

There is no `exp` (4): a COPR does not expire. Revocation goes through the status list,
by `status_index`.

The essentials are a CBOR map with small integer keys, to keep the QR code small:

    0  format version (1)                  7  citizenship, ISO 3166-1 alpha-2
    1  COPR document number                8  immigration category, in English
    2  UCI                                 9  immigration category, in French
    3  family name                         10 application number
    4  given names                         11 date of becoming a PR, "YYYY-MM-DD"
    5  date of birth, "YYYY-MM-DD"         12 index in the status (revocation) list
    6  sex: "F", "M" or "X"

The category travels as both texts rather than a code, so that a verifier needs no
table to show it. Names travel exactly as given (no Unicode normalisation), in any script.

The COSE protected header holds alg ES256 (-7) and kid, the signing certificate's key
id; the unprotected header is empty."""

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import base45
import cbor2
from cwt import COSE, COSEKey

from passage.ecopr.record import CoprRecord

PREFIX = "PRC1:"
VERSION = 1
ISSUER = "CA"
ESSENTIALS_CLAIM = -70001
ES256 = -7
# A credential inflates to a few hundred bytes; anything near this is not one of ours.
MAX_INFLATED = 64 * 1024
# The largest QR code (version 40) holds 4,296 alphanumeric characters.
MAX_TEXT = 4296 + len(PREFIX)

_ISS, _IAT, _EXP = 1, 6, 4
_ALG, _KID = 1, 4
_COSE_SIGN1_TAG = 18


class CredentialError(ValueError):
    """A text that is not a genuine credential, with its `code`: "not_a_credential" (the
    prefix, Base45, zlib or CBOR is wrong), "unknown_key" (its kid is not in the trust
    list), "bad_signature" or "unsupported_version"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Credential:
    """What the QR code states. `key_id` is the kid it was signed under (empty before
    signing); `issued_at` is in UTC, to the second."""

    document_number: str
    uci: str
    family_name: str
    given_names: str
    date_of_birth: date
    sex: str
    citizenship: str
    category_en: str
    category_fr: str
    application_number: str
    became_permanent_resident_on: date
    status_index: int
    issued_at: datetime
    key_id: bytes


def credential_of(record: CoprRecord, status_index: int) -> Credential:
    """The credential of `record`, at `status_index` in the status list (not yet signed:
    `key_id` is empty). The record's `issued_at` must carry its time zone."""
    if record.issued_at.tzinfo is None:
        raise ValueError("the record's issued_at has no time zone")
    if status_index < 0:
        raise ValueError("the status index cannot be negative")
    return Credential(
        document_number=record.document_number,
        uci=record.uci,
        family_name=record.family_name,
        given_names=record.given_names,
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        citizenship=record.citizenship,
        category_en=record.category.en,
        category_fr=record.category.fr,
        application_number=record.application_number,
        became_permanent_resident_on=record.became_permanent_resident_on,
        status_index=status_index,
        issued_at=record.issued_at.astimezone(UTC).replace(microsecond=0),
        key_id=b"",
    )


def issue(credential: Credential, signing_key_pem: bytes, key_id: bytes) -> str:
    """The QR text of `credential` signed with the ECDSA P-256 key `signing_key_pem`
    (PKCS#8 PEM) under `key_id`; the credential's own `key_id` is not used."""
    claims = {
        _ISS: ISSUER,
        _IAT: int(credential.issued_at.timestamp()),
        ESSENTIALS_CLAIM: _essentials(credential),
    }
    key = COSEKey.from_pem(signing_key_pem, alg="ES256")
    # cwt's CWT class would add an expiry; COSE signs exactly the claims given.
    signed = COSE.new().encode_and_sign(
        cbor2.dumps(claims), key, protected={_ALG: ES256, _KID: key_id}, unprotected={}
    )
    assert isinstance(signed, bytes)
    return PREFIX + base45.b45encode(zlib.compress(signed, 9)).decode("ascii")


def read(text: str, public_keys: Mapping[bytes, bytes]) -> Credential:
    """The credential in a QR text, its signature checked against the key of its kid in
    `public_keys` (kid to a PEM public key or certificate); CredentialError otherwise.
    A trusted entry that is not a P-256 key or certificate is a ValueError of its own."""
    signed = _unwrap(text)
    protected, payload = _parts(signed)
    kid = protected.get(_KID)
    if not isinstance(kid, bytes) or kid not in public_keys:
        raise CredentialError("unknown_key", "the credential is signed by an unknown key")
    if protected.get(_ALG) != ES256:
        raise CredentialError("bad_signature", "the credential is not signed with ES256")
    key = COSEKey.from_pem(public_keys[kid], alg="ES256", kid=kid)
    try:
        COSE.new().decode(signed, key)
    except Exception:  # cwt raises VerifyError, but also DecodeError for a wrong key
        raise CredentialError("bad_signature", "the credential's signature is wrong") from None
    return _credential(_claims(payload), kid)


def _essentials(credential: Credential) -> dict[int, Any]:
    return {
        0: VERSION,
        1: credential.document_number,
        2: credential.uci,
        3: credential.family_name,
        4: credential.given_names,
        5: credential.date_of_birth.isoformat(),
        6: credential.sex,
        7: credential.citizenship,
        8: credential.category_en,
        9: credential.category_fr,
        10: credential.application_number,
        11: credential.became_permanent_resident_on.isoformat(),
        12: credential.status_index,
    }


def _not_ours(message: str) -> CredentialError:
    return CredentialError("not_a_credential", message)


def _unwrap(text: str) -> bytes:
    """The COSE_Sign1 bytes inside a QR text."""
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise _not_ours(f"the text does not start with {PREFIX}")
    # A scanner may end what it read with a line break; Base45 never contains one.
    body = text[len(PREFIX) :].rstrip("\r\n")
    if len(body) > MAX_TEXT:
        raise _not_ours("the text is longer than any QR code holds")
    try:
        compressed = base45.b45decode(body)
    except (ValueError, KeyError, UnicodeError):
        raise _not_ours("the text is not Base45") from None
    inflater = zlib.decompressobj()
    try:
        signed = inflater.decompress(compressed, MAX_INFLATED)
    except zlib.error:
        raise _not_ours("the text is not zlib-compressed") from None
    if inflater.unconsumed_tail:
        raise _not_ours("the text inflates to more than a credential can be")
    if not inflater.eof:
        raise _not_ours("the compressed text is cut short")
    return signed


def _parts(signed: bytes) -> tuple[dict[Any, Any], bytes]:
    """The protected header and the payload of a COSE_Sign1 (its signature unchecked)."""
    try:
        message = cbor2.loads(signed)
        if isinstance(message, cbor2.CBORTag) and message.tag == _COSE_SIGN1_TAG:
            message = message.value
        protected_bytes, _unprotected, payload, _signature = message
        protected = cbor2.loads(protected_bytes) if protected_bytes else {}
    except Exception:  # whatever malformed CBOR raises
        raise _not_ours("the text is not a COSE_Sign1 message") from None
    if not isinstance(protected, dict) or not isinstance(payload, bytes):
        raise _not_ours("the text is not a COSE_Sign1 message")
    return protected, payload


def _claims(payload: bytes) -> dict[Any, Any]:
    try:
        claims = cbor2.loads(payload)
    except Exception:  # whatever malformed CBOR raises
        raise _not_ours("the signed claims are not CBOR") from None
    if not isinstance(claims, dict) or claims.get(_ISS) != ISSUER:
        raise _not_ours("the signed claims are not a COPR's")
    essentials = claims.get(ESSENTIALS_CLAIM)
    if not isinstance(essentials, dict):
        raise _not_ours("the signed claims hold no COPR")
    if essentials.get(0) != VERSION:
        raise CredentialError(
            "unsupported_version", f"credential version {essentials.get(0)!r} is not supported"
        )
    return claims


def _credential(claims: dict[Any, Any], kid: bytes) -> Credential:
    essentials = claims[ESSENTIALS_CLAIM]
    try:
        texts = {key: _text(essentials[key]) for key in (1, 2, 3, 4, 6, 7, 8, 9, 10)}
        issued = claims[_IAT]
        index = essentials[12]
        if type(issued) is not int or type(index) is not int or index < 0:
            raise ValueError("iat and the status index are whole numbers")
        return Credential(
            document_number=texts[1],
            uci=texts[2],
            family_name=texts[3],
            given_names=texts[4],
            date_of_birth=date.fromisoformat(_text(essentials[5])),
            sex=texts[6],
            citizenship=texts[7],
            category_en=texts[8],
            category_fr=texts[9],
            application_number=texts[10],
            became_permanent_resident_on=date.fromisoformat(_text(essentials[11])),
            status_index=index,
            issued_at=datetime.fromtimestamp(issued, UTC),
            key_id=kid,
        )
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        raise _not_ours("the signed claims are incomplete or malformed") from None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a text was expected")
    return value
