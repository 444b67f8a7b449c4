"""Verifying an eCOPR: the department's signature over the PDF, the credential in its QR
code, and the two agreeing; or the credential of a QR code alone."""

import dataclasses
import importlib.util
from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from passage.ecopr.credential import credential_of, issue
from passage.ecopr.layout import render
from passage.ecopr.pdfa import record_document
from passage.ecopr.record import CoprRecord
from tests.ecopr.records import LONGEST, TYPICAL, VERIFY_URL, new_key

if importlib.util.find_spec("passage.ecopr.signing") is None:
    pytest.skip(
        "passage.ecopr.signing (the PDF signature) is not written yet", allow_module_level=True
    )

from passage.ecopr.keys import KeyMaterial, generate_development_keys, key_id
from passage.ecopr.signing import sign_pdf
from passage.ecopr.verification import verify_pdf, verify_qr_text

STATUS_INDEX = 77


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyMaterial:
    return generate_development_keys(tmp_path_factory.mktemp("keys"), datetime.now(UTC))


def public_keys(keys: KeyMaterial) -> dict[bytes, bytes]:
    return {key_id(keys.signing_certificate): keys.signing_certificate}


def qr_text(record: CoprRecord, keys: KeyMaterial) -> str:
    kid = key_id(keys.signing_certificate)
    return issue(credential_of(record, STATUS_INDEX), keys.signing_key, kid)


@cache
def _signed(record: CoprRecord, keys: KeyMaterial, qr_of: CoprRecord) -> bytes:
    return sign_pdf(render(record, qr_text(qr_of, keys), verify_url=VERIFY_URL), keys)


def signed(record: CoprRecord, keys: KeyMaterial, *, qr_of: CoprRecord | None = None) -> bytes:
    """The signed eCOPR of `record`, its QR code issued for `qr_of` (the same record
    unless told otherwise)."""
    return _signed(record, keys, qr_of or record)


@pytest.mark.parametrize("record", [TYPICAL, LONGEST], ids=["typical", "longest"])
def test_a_rendered_and_signed_ecopr_is_genuine(record: CoprRecord, keys: KeyMaterial) -> None:
    verdict = verify_pdf(signed(record, keys), [keys.root_certificate], public_keys(keys))

    assert verdict.reason == "genuine"
    assert verdict.genuine
    assert verdict.record == record_document(record)
    assert verdict.credential == dataclasses.replace(
        credential_of(record, STATUS_INDEX), key_id=key_id(keys.signing_certificate)
    )
    assert verdict.signed_at is not None


def test_one_flipped_byte_makes_it_not_genuine(keys: KeyMaterial) -> None:
    pdf = bytearray(signed(TYPICAL, keys))
    pdf[len(pdf) // 3] ^= 0x01

    verdict = verify_pdf(bytes(pdf), [keys.root_certificate], public_keys(keys))

    assert not verdict.genuine
    assert verdict.reason != "genuine"
    assert verdict.record is None


def test_a_qr_code_of_another_record_is_a_mismatch(keys: KeyMaterial) -> None:
    pdf = signed(TYPICAL, keys, qr_of=LONGEST)

    verdict = verify_pdf(pdf, [keys.root_certificate], public_keys(keys))

    assert (verdict.genuine, verdict.reason) == (False, "credential_mismatch")
    assert verdict.record == record_document(TYPICAL)


def test_an_unsigned_ecopr_is_not_genuine(keys: KeyMaterial) -> None:
    pdf = render(TYPICAL, qr_text(TYPICAL, keys), verify_url=VERIFY_URL)

    verdict = verify_pdf(pdf, [keys.root_certificate], public_keys(keys))

    assert (verdict.genuine, verdict.reason) == (False, "unsigned")


def test_a_signed_ecopr_whose_qr_key_is_not_trusted_says_so(keys: KeyMaterial) -> None:
    verdict = verify_pdf(signed(TYPICAL, keys), [keys.root_certificate], {})

    assert (verdict.genuine, verdict.reason) == (False, "unknown_key")


def test_a_qr_text_alone_verifies(keys: KeyMaterial) -> None:
    verdict = verify_qr_text(qr_text(TYPICAL, keys), public_keys(keys))

    assert (verdict.genuine, verdict.reason) == (True, "genuine")
    assert verdict.credential is not None
    assert verdict.credential.family_name == TYPICAL.family_name
    assert verdict.record is None


def test_a_qr_text_from_another_signer_is_not_genuine(keys: KeyMaterial) -> None:
    stranger = new_key(key_id(keys.signing_certificate))
    text = issue(credential_of(TYPICAL, 1), stranger.private, stranger.kid)

    verdict = verify_qr_text(text, public_keys(keys))

    assert (verdict.genuine, verdict.reason, verdict.credential) == (False, "bad_signature", None)


def test_garbage_is_not_genuine_and_never_raises(keys: KeyMaterial) -> None:
    for content in (b"", b"%PDF-1.7 nothing", b"\x89PNG\r\n\x1a\n"):
        assert not verify_pdf(content, [keys.root_certificate], public_keys(keys)).genuine
    assert verify_qr_text("not a credential", public_keys(keys)).reason == "not_a_credential"


def test_a_pdf_signed_by_another_trusted_certificate_around_a_genuine_qr_code_is_not_genuine(
    keys: KeyMaterial, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Another signer the verifier's roots trust (a department root issues many
    # certificates): the QR code is the department's own, the PDF is not signed with it.
    other = generate_development_keys(tmp_path_factory.mktemp("other"), datetime.now(UTC))
    drawn = render(TYPICAL, qr_text(TYPICAL, keys), verify_url=VERIFY_URL)

    verdict = verify_pdf(
        sign_pdf(drawn, other),
        [keys.root_certificate, other.root_certificate],
        public_keys(keys),
    )

    assert not verdict.genuine
    assert verdict.reason == "untrusted_signer"


def test_a_genuine_ecopr_still_verifies_once_its_signing_certificate_has_expired(
    keys: KeyMaterial, monkeypatch: pytest.MonkeyPatch
) -> None:
    from passage.ecopr import signing

    real = signing._validation_context
    four_years_on = datetime.now(UTC) + timedelta(days=4 * 365)
    # "Now" four years on, past the signing certificate's three: only the time stamp's
    # own time (the moment given) sees it valid.
    monkeypatch.setattr(
        signing,
        "_validation_context",
        lambda roots, moment=None: real(roots, moment=moment or four_years_on),
    )

    verdict = verify_pdf(signed(TYPICAL, keys), [keys.root_certificate], public_keys(keys))

    assert verdict.genuine, verdict.reason
