"""The QR credential: claims in CBOR, signed as a COSE_Sign1 (ES256), compressed, Base45,
behind the prefix PRC1:. What is read back is exactly what was signed, or an error with
its code."""

import dataclasses
import time
import unicodedata
import zlib
from datetime import datetime
from typing import Any

import base45
import cbor2
import pytest
import segno
from cwt import COSE, COSEKey

from passage.ecopr.credential import (
    ESSENTIALS_CLAIM,
    PREFIX,
    Credential,
    CredentialError,
    credential_of,
    issue,
    read,
)
from passage.ecopr.record import CoprRecord
from tests.ecopr.records import ALL, LONGEST, TYPICAL, new_key, signing_key

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def issued(credential: Credential) -> str:
    key = signing_key()
    return issue(credential, key.private, key.kid)


def trusted() -> dict[bytes, bytes]:
    key = signing_key()
    return {key.kid: key.public}


def signed_message(text: str) -> list[Any]:
    """The COSE_Sign1 inside a QR text, as its four CBOR parts."""
    message = cbor2.loads(zlib.decompress(base45.b45decode(text[len(PREFIX) :])))
    assert message.tag == 18
    return list(message.value)


def repacked(parts: list[Any]) -> str:
    return PREFIX + base45.b45encode(zlib.compress(cbor2.dumps(cbor2.CBORTag(18, parts)))).decode()


def code_of(text: str, keys: dict[bytes, bytes]) -> str:
    with pytest.raises(CredentialError) as raised:
        read(text, keys)
    return raised.value.code


@pytest.mark.parametrize("record", ALL, ids=lambda record: record.document_number)
def test_a_credential_reads_back_exactly_as_it_was_issued(record: CoprRecord) -> None:
    credential = credential_of(record, status_index=123_456)

    back = read(issued(credential), trusted())

    assert back == dataclasses.replace(credential, key_id=signing_key().kid)


def test_names_keep_their_unicode_form_whatever_it_is() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë Éloïse")
    record = dataclasses.replace(TYPICAL, given_names=decomposed)

    back = read(issued(credential_of(record, 1)), trusted())

    assert back.given_names == decomposed
    assert back.given_names != unicodedata.normalize("NFC", decomposed)


def test_the_certificate_of_the_key_verifies_as_well_as_the_key_itself() -> None:
    key = signing_key()

    back = read(issued(credential_of(TYPICAL, 5)), {key.kid: key.certificate})

    assert back.document_number == TYPICAL.document_number


def test_the_issue_instant_is_kept_to_the_second_in_utc() -> None:
    back = read(issued(credential_of(TYPICAL, 5)), trusted())

    assert back.issued_at == datetime.fromisoformat("2027-03-15T18:30:05+00:00")


def test_the_claims_are_the_issuer_the_issue_time_and_the_copr_and_never_an_expiry() -> None:
    text = issued(credential_of(TYPICAL, 9))
    protected, unprotected, payload, _ = signed_message(text)

    claims = cbor2.loads(payload)

    assert set(claims) == {1, 6, ESSENTIALS_CLAIM}
    assert 4 not in claims
    assert claims[1] == "CA"
    assert claims[ESSENTIALS_CLAIM][0] == 1
    assert cbor2.loads(protected) == {1: -7, 4: signing_key().kid}
    assert unprotected == {}


def test_one_changed_character_of_the_text_is_refused() -> None:
    text = issued(credential_of(TYPICAL, 9))
    middle = len(text) // 2
    changed = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]

    assert code_of(changed, trusted()) in {"not_a_credential", "bad_signature"}


def test_a_changed_claim_under_the_original_signature_is_a_bad_signature() -> None:
    protected, unprotected, payload, signature = signed_message(issued(credential_of(TYPICAL, 9)))
    claims = cbor2.loads(payload)
    claims[ESSENTIALS_CLAIM][3] = "Someone Else"

    forged = repacked([protected, unprotected, cbor2.dumps(claims), signature])

    assert code_of(forged, trusted()) == "bad_signature"


def test_a_credential_signed_by_a_key_not_in_the_trust_list_is_an_unknown_key() -> None:
    stranger = new_key(b"stranger")
    text = issue(credential_of(TYPICAL, 1), stranger.private, stranger.kid)

    assert code_of(text, trusted()) == "unknown_key"


def test_another_key_under_a_trusted_key_id_is_a_bad_signature() -> None:
    impostor = new_key(signing_key().kid)
    text = issue(credential_of(TYPICAL, 1), impostor.private, impostor.kid)

    assert code_of(text, trusted()) == "bad_signature"


def test_a_later_format_version_is_unsupported_even_when_genuinely_signed() -> None:
    key = signing_key()
    claims = {1: "CA", 6: 1_800_000_000, ESSENTIALS_CLAIM: {0: 2}}
    signed = COSE.new().encode_and_sign(
        cbor2.dumps(claims),
        COSEKey.from_pem(key.private, alg="ES256"),
        protected={1: -7, 4: key.kid},
        unprotected={},
    )
    text = PREFIX + base45.b45encode(zlib.compress(signed)).decode()

    assert code_of(text, trusted()) == "unsupported_version"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PSG1:ABC",
        "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N",
        PREFIX,
        PREFIX + "lowercase is not base45",
        PREFIX + base45.b45encode(b"not zlib at all").decode(),
        PREFIX + base45.b45encode(zlib.compress(b"\xff\xfe not cbor")).decode(),
        PREFIX + base45.b45encode(zlib.compress(cbor2.dumps([1, 2, 3]))).decode(),
        PREFIX + base45.b45encode(zlib.compress(b"x" * 100)[:-6]).decode(),
    ],
    ids=range(9),
)
def test_a_text_that_is_not_a_credential_says_so(text: str) -> None:
    assert code_of(text, trusted()) == "not_a_credential"


def test_a_text_that_inflates_past_64_kilobytes_is_refused_without_inflating_it() -> None:
    bomb = PREFIX + base45.b45encode(zlib.compress(b"\0" * 50_000_000, 9)).decode()
    started = time.perf_counter()

    assert code_of(bomb, trusted()) == "not_a_credential"
    assert time.perf_counter() - started < 1


def test_a_credential_needs_the_instant_of_issue_with_its_time_zone() -> None:
    record = dataclasses.replace(TYPICAL, issued_at=datetime(2027, 3, 15, 12, 0))  # noqa: DTZ001

    with pytest.raises(ValueError, match="time zone"):
        credential_of(record, 1)


def test_the_qr_text_is_alphanumeric_and_short_enough_for_a_printed_code() -> None:
    typical = issued(credential_of(TYPICAL, 10_000_000))
    longest = issued(credential_of(LONGEST, 10_000_000))
    sizes = {
        name: (len(text), segno.make_qr(text, error="q").designator)
        for name, text in (("typical", typical), ("longest", longest))
    }

    assert set(typical[len(PREFIX) :]) <= QR_ALPHANUMERIC
    assert set(longest[len(PREFIX) :]) <= QR_ALPHANUMERIC
    # Both category texts travel whole (about 170 characters of the text); the longest
    # record's names add 250 characters.
    assert len(typical) < 500, sizes
    assert len(longest) < 850, sizes
