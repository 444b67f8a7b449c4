"""The department's signature over the eCOPR PDF: PAdES B-T, certified, and a check that
accepts only the file exactly as signed and names what is wrong otherwise."""

import asyncio
import dataclasses
import os
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import cast

import pytest
from asn1crypto import pem
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    read_certification_data,
    validate_pdf_signature,
)
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject
from reportlab.pdfgen import canvas

from passage.ecopr.keys import KeyMaterial, generate_development_keys
from passage.ecopr.signing import FIELD_NAME, MAX_SIZE, check_signature, sign_pdf

SIGNER = "Immigration, Refugees and Citizenship Canada (development)"
TEXT = b"Confirmation of Permanent Residence"
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
    b' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
    b' pdf:Producer="Passage" pdfaid:part="3" pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta>'
    b'<?xpacket end="w"?>'
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyMaterial:
    return generate_development_keys(tmp_path_factory.mktemp("keys"), datetime.now(UTC))


@pytest.fixture(scope="module")
def other_keys(tmp_path_factory: pytest.TempPathFactory) -> KeyMaterial:
    """Another department's PKI, under a root nobody here trusts."""
    return generate_development_keys(tmp_path_factory.mktemp("other"), datetime.now(UTC))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    out = BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 720, TEXT.decode())
    page.drawString(72, 700, "Confirmation de résidence permanente")
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def signed(pdf: bytes, keys: KeyMaterial) -> bytes:
    return sign_pdf(pdf, keys)


def pdf_with_xmp(pdf: bytes) -> bytes:
    """`pdf` in PDF 1.7 with XMP metadata that repeats its information dictionary, as a
    PDF/A file has."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.pdf_header = "%PDF-1.7"
    writer.add_metadata({"/Producer": "Passage", "/Title": "COPR"})
    writer.xmp_metadata = XMP
    metadata = cast(StreamObject, writer.root_object["/Metadata"].get_object())
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def embedded(pdf: bytes) -> EmbeddedPdfSignature:
    (signature,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    return signature


def context(keys: KeyMaterial) -> ValidationContext:
    return ValidationContext(
        trust_roots=list(load_certs_from_pemder_data(keys.root_certificate)),
        allow_fetching=False,
    )


def flipped(pdf: bytes, index: int) -> bytes:
    changed = bytearray(pdf)
    changed[index] ^= 0x01
    return bytes(changed)


def der(certificate_pem: bytes) -> bytes:
    return pem.unarmor(certificate_pem)[2]


def test_a_signed_pdf_is_valid_against_the_development_root(
    signed: bytes, keys: KeyMaterial
) -> None:
    check = check_signature(signed, [keys.root_certificate])
    assert check.valid
    assert check.reason == "valid"
    assert check.signer == SIGNER
    assert check.signed_at is not None
    assert abs(check.signed_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_pyhanko_finds_it_intact_trusted_over_the_whole_file_and_time_stamped_by_the_tsa(
    signed: bytes, keys: KeyMaterial
) -> None:
    status = validate_pdf_signature(embedded(signed), context(keys))
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    timestamp = status.timestamp_validity
    assert timestamp is not None
    assert timestamp.intact
    assert timestamp.valid
    assert timestamp.trusted
    assert timestamp.signing_cert.dump() == der(keys.timestamp_certificate)


def test_the_signature_is_a_cades_ecdsa_certification_allowing_no_changes(
    signed: bytes, keys: KeyMaterial
) -> None:
    signature = embedded(signed)
    assert signature.field_name == FIELD_NAME
    assert signature.sig_object["/SubFilter"] == SigSeedSubFilter.PADES.value
    signer_info = signature.signer_info
    assert signer_info["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    assert signer_info["digest_algorithm"]["algorithm"].native == "sha256"
    embedded_certificates = {c.chosen.dump() for c in signature.signed_data["certificates"]}
    assert der(keys.signing_certificate) in embedded_certificates
    assert der(keys.root_certificate) in embedded_certificates
    certification = read_certification_data(PdfFileReader(BytesIO(signed)))
    assert certification is not None
    assert certification.permission == MDPPerm.NO_CHANGES


def test_signing_appends_to_the_original_bytes_without_rewriting_them(
    pdf: bytes, signed: bytes
) -> None:
    # What makes a PDF/A stay one: its objects and metadata are left as they were.
    assert signed.startswith(pdf)


def test_a_pdf_a_keeps_its_metadata_and_version_when_signed(pdf: bytes, keys: KeyMaterial) -> None:
    # PDF/A wants the information dictionary and the XMP to agree, and PDF/A-3 is 1.7.
    original = pdf_with_xmp(pdf)
    signed = sign_pdf(original, keys)
    before, after = PdfReader(BytesIO(original)), PdfReader(BytesIO(signed))
    assert after.metadata == before.metadata
    assert cast(StreamObject, after.root_object["/Metadata"].get_object()).get_data() == XMP
    assert "/Version" not in after.root_object
    assert signed.startswith(b"%PDF-1.7")
    assert check_signature(signed, [keys.root_certificate]).valid


def test_a_byte_changed_in_the_page_text_is_reported_as_altered(
    signed: bytes, keys: KeyMaterial
) -> None:
    check = check_signature(flipped(signed, signed.index(TEXT) + 4), [keys.root_certificate])
    assert not check.valid
    assert check.reason == "altered"


def test_a_byte_changed_in_the_signature_value_is_reported_as_a_bad_signature(
    signed: bytes, keys: KeyMaterial
) -> None:
    signature = embedded(signed)
    value = signature.signer_info["signature"].native.hex().upper().encode()
    # A hex digit in the middle of the ECDSA value, changed into another hex digit.
    index = signed.index(value) + len(value) // 2
    changed = bytearray(signed)
    changed[index] = ord("0") if changed[index] != ord("0") else ord("1")
    check = check_signature(bytes(changed), [keys.root_certificate])
    assert check.reason == "bad_signature"


def test_bytes_hidden_in_the_signatures_padding_are_reported_as_altered(
    signed: bytes, keys: KeyMaterial
) -> None:
    # The padding after the signature is signed by nothing, but the file is not the one
    # the department issued.
    end = signed.index(b">", signed.index(b"/Contents <")) - 10
    check = check_signature(signed[:end] + b"1" + signed[end + 1 :], [keys.root_certificate])
    assert check.reason == "altered"


def test_an_info_dictionary_changed_in_an_incremental_update_is_changed_after_signing(
    signed: bytes, keys: KeyMaterial
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    info = generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("X")})
    writer.trailer["/Info"] = writer.add_object(info)
    out = BytesIO()
    writer.write(out)
    updated = out.getvalue()
    # pyHanko counts this as an allowed change, even under "no changes"...
    status = validate_pdf_signature(embedded(updated), context(keys))
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    # ... the department's check does not.
    assert check_signature(updated, [keys.root_certificate]).reason == "changed_after_signing"


def test_an_annotation_added_in_an_incremental_update_is_changed_after_signing(
    signed: bytes, keys: KeyMaterial
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (72, 600, 92, 620)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Void"),
        }
    )
    page[generic.NameObject("/Annots")] = generic.ArrayObject([writer.add_object(note)])
    writer.update_container(page_ref)
    out = BytesIO()
    writer.write(out)
    assert check_signature(out.getvalue(), [keys.root_certificate]).reason == (
        "changed_after_signing"
    )


def test_even_blank_lines_appended_after_the_end_are_changed_after_signing(
    signed: bytes, keys: KeyMaterial
) -> None:
    check = check_signature(signed + b"\r\n\r\n", [keys.root_certificate])
    assert check.reason == "changed_after_signing"


def test_a_pdf_signed_under_another_root_is_untrusted(
    pdf: bytes, keys: KeyMaterial, other_keys: KeyMaterial
) -> None:
    check = check_signature(sign_pdf(pdf, other_keys), [keys.root_certificate])
    assert not check.valid
    assert check.reason == "untrusted"
    assert check.signer == SIGNER


def test_a_time_stamp_from_an_authority_under_another_root_is_a_bad_timestamp(
    pdf: bytes, keys: KeyMaterial, other_keys: KeyMaterial
) -> None:
    foreign_tsa = dataclasses.replace(
        keys,
        timestamp_key=other_keys.timestamp_key,
        timestamp_certificate=other_keys.timestamp_certificate,
    )
    check = check_signature(sign_pdf(pdf, foreign_tsa), [keys.root_certificate])
    assert check.reason == "bad_timestamp"


def test_a_signature_without_a_time_stamp_is_reported_as_such(
    pdf: bytes, keys: KeyMaterial
) -> None:
    signer = SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(keys.signing_certificate)),
        signing_key=load_private_key_from_pemder_data(keys.signing_key, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(
            list(load_certs_from_pemder_data(keys.root_certificate))
        ),
    )
    metadata = PdfSignatureMetadata(field_name=FIELD_NAME, subfilter=SigSeedSubFilter.PADES)
    out = PdfSigner(metadata, signer).sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)))
    assert check_signature(out.getvalue(), [keys.root_certificate]).reason == "no_timestamp"


def test_an_unsigned_pdf_is_reported_as_unsigned(pdf: bytes, keys: KeyMaterial) -> None:
    check = check_signature(pdf, [keys.root_certificate])
    assert check == check.__class__(valid=False, reason="unsigned")


def test_a_pdf_signed_twice_is_reported_as_having_several_signatures(
    pdf: bytes, keys: KeyMaterial
) -> None:
    signer = SimpleSigner(
        signing_cert=next(load_certs_from_pemder_data(keys.signing_certificate)),
        signing_key=load_private_key_from_pemder_data(keys.signing_key, passphrase=None),
        cert_registry=SimpleCertificateStore(),
    )
    first = PdfSigner(PdfSignatureMetadata(field_name="Earlier"), signer).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf))
    )
    twice = PdfSigner(PdfSignatureMetadata(field_name="Later"), signer).sign_pdf(
        IncrementalPdfFileWriter(first)
    )
    assert check_signature(twice.getvalue(), [keys.root_certificate]).reason == (
        "several_signatures"
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"garbage, not a document", id="garbage"),
        pytest.param(b"%PDF-1.7\n" + os.urandom(2_000_000), id="a big file of noise"),
        pytest.param(
            b"%PDF-1.7\n" + bytes(MAX_SIZE) + b"\nstartxref\n9\n%%EOF\n", id="a file too big"
        ),
        pytest.param(None, id="a signed file cut in half"),
    ],
)
def test_what_is_not_a_readable_pdf_is_reported_as_not_a_pdf_without_raising(
    content: bytes | None, signed: bytes, keys: KeyMaterial
) -> None:
    data = signed[: len(signed) // 2] if content is None else content
    assert check_signature(data, [keys.root_certificate]).reason == "not_a_pdf"


def test_signing_and_checking_work_inside_a_running_event_loop(
    pdf: bytes, keys: KeyMaterial
) -> None:
    async def sign_and_check() -> str:
        return check_signature(sign_pdf(pdf, keys), [keys.root_certificate]).reason

    assert asyncio.run(sign_and_check()) == "valid"


def test_trusting_no_root_trusts_nothing(signed: bytes) -> None:
    assert check_signature(signed, []).reason == "untrusted"
