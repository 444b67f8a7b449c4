"""Whether an eCOPR is genuine (pure: no Django): the department's signature over the
whole PDF, the QR code on its page, the credential the code carries, and the credential
agreeing with the record attached to the PDF. A photo of the QR code alone checks the
credential. Revocation is the caller's: it looks `credential.status_index` (or the
document number) up in its status list."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from passage.ecopr import signing
from passage.ecopr.credential import PREFIX, Credential, CredentialError, read
from passage.ecopr.reading import embedded_record, qr_texts

GENUINE = "genuine"


@dataclass(frozen=True)
class Verdict:
    """What a verification found. `reason` is "genuine" or the code of the first thing
    wrong: a code of `signing.check_signature` (not_a_pdf, unsigned, altered,
    untrusted...), "no_record" (no readable copr.json), "no_credential" (no QR code
    carrying a credential), a code of `CredentialError` (not_a_credential, unknown_key,
    bad_signature, unsupported_version), "credential_mismatch" (the QR code and the
    record disagree), or "untrusted_signer" (the PDF was signed by another certificate
    than the one whose key signed the QR code). `record` is the attached record, given
    only when the PDF's signature is valid; `signed_at` is the time-stamp of that
    signature."""

    genuine: bool
    reason: str
    credential: Credential | None = None
    record: dict[str, Any] | None = None
    signed_at: datetime | None = None


def verify_pdf(
    pdf: bytes, trust_roots: Sequence[bytes], public_keys: Mapping[bytes, bytes]
) -> Verdict:
    """Verify an eCOPR PDF: its signature against `trust_roots` (PEM certificates), its
    QR code's credential against `public_keys` (kid to PEM key or certificate), and that
    credential against the attached record. Never raises on what `pdf` holds."""
    check = signing.check_signature(pdf, trust_roots)
    if not check.valid:
        return Verdict(genuine=False, reason=check.reason)
    record = embedded_record(pdf)
    signed_at = check.signed_at
    if record is None:
        return Verdict(genuine=False, reason="no_record", signed_at=signed_at)
    texts = [text for text in qr_texts(pdf) if text.startswith(PREFIX)]
    if not texts:
        return Verdict(False, "no_credential", record=record, signed_at=signed_at)
    verdict = _first_genuine(texts, public_keys)
    if verdict.credential is None:
        return Verdict(False, verdict.reason, record=record, signed_at=signed_at)
    if not matches(verdict.credential, record):
        return Verdict(False, "credential_mismatch", verdict.credential, record, signed_at)
    if check.signer_key_id != verdict.credential.key_id:
        # Signed under the department's root, but not with the key of its credentials.
        return Verdict(False, "untrusted_signer", verdict.credential, record, signed_at)
    return Verdict(True, GENUINE, verdict.credential, record, signed_at)


def verify_qr_text(text: str, public_keys: Mapping[bytes, bytes]) -> Verdict:
    """Verify the credential of a QR code read from a screen, a print or a photo."""
    try:
        credential = read(text, public_keys)
    except CredentialError as error:
        return Verdict(genuine=False, reason=error.code)
    return Verdict(genuine=True, reason=GENUINE, credential=credential)


def matches(credential: Credential, record: Mapping[str, Any]) -> bool:
    """Whether every essential the credential states is what the record says (the
    record as `passage.ecopr.pdfa.record_document` writes it)."""
    category = record.get("category")
    if not isinstance(category, dict):
        return False
    return (
        record.get("document_number") == credential.document_number
        and record.get("uci") == credential.uci
        and record.get("family_name") == credential.family_name
        and record.get("given_names") == credential.given_names
        and record.get("date_of_birth") == _iso(credential.date_of_birth)
        and record.get("sex") == credential.sex
        and record.get("citizenship") == credential.citizenship
        and category.get("en") == credential.category_en
        and category.get("fr") == credential.category_fr
        and record.get("application_number") == credential.application_number
        and record.get("became_permanent_resident_on")
        == _iso(credential.became_permanent_resident_on)
        and _same_second(record.get("issued_at"), credential.issued_at)
    )


def _first_genuine(texts: list[str], public_keys: Mapping[bytes, bytes]) -> Verdict:
    """The first credential that verifies, or the failure of the first text."""
    verdicts = [verify_qr_text(text, public_keys) for text in texts]
    return next((verdict for verdict in verdicts if verdict.genuine), verdicts[0])


def _iso(day: date) -> str:
    return day.isoformat()


def _same_second(written: object, instant: datetime) -> bool:
    if not isinstance(written, str):
        return False
    try:
        parsed = datetime.fromisoformat(written)
    except ValueError:
        return False
    return parsed.tzinfo is not None and int(parsed.timestamp()) == int(instant.timestamp())
