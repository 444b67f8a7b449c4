"""The department's signature over the whole eCOPR PDF, and its check.

The signature is PAdES baseline B-T: a CAdES detached signature (ECDSA with SHA-256,
the signing certificate and the root embedded) in an incremental update, with an
RFC 3161 time-stamp token over it. It certifies the document with no changes allowed,
so a reader such as Acrobat flags any later edit too. The check accepts only a file
that is exactly what was signed: one signature, over every byte, by a certificate
that chains to a root the caller trusts, time-stamped by an authority under the same
roots."""

import asyncio
import hashlib
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import ParamSpec, TypeVar

from asn1crypto import parser as asn1_parser
from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from passage.ecopr.keys import KeyMaterial

FIELD_NAME = "DepartmentSignature"
REASON = "Confirmation of Permanent Residence / Confirmation de résidence permanente"
LOCATION = "Ottawa, Canada"

# An eCOPR weighs tens of kilobytes. pyHanko's parser walks some structures a byte at a
# time, about a quarter of a second per megabyte of hostile input: larger files are
# turned away unread.
MAX_SIZE = 5 * 1024 * 1024
# Where a PDF header may start: readers tolerate a little leading junk.
HEADER_WINDOW = 1024
# The end of a PDF, which readers look for in its last kilobyte. pyHanko reads it
# backwards a byte at a time, which takes seconds on a few megabytes without a line
# break: a file without it is turned away first.
END_WINDOW = 1024
END = re.compile(rb"[\r\n]startxref\s+\d+\s+%%EOF")

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class SignatureCheck:
    """What `check_signature` found. `reason` is "valid" or one failure code:
    not_a_pdf, unsigned, several_signatures, altered, changed_after_signing,
    untrusted, bad_signature, no_timestamp, bad_timestamp."""

    valid: bool
    reason: str
    signer: str | None = None
    signed_at: datetime | None = None
    # The signing certificate's key id (`keys.key_id`): the verifier pins it to the key
    # of the QR credential, so that another certificate under the same root cannot sign.
    signer_key_id: bytes | None = None


def sign_pdf(
    pdf: bytes,
    keys: KeyMaterial,
    *,
    timestamp_url: str | None = None,
    reason: str = REASON,
    location: str = LOCATION,
) -> bytes:
    """Sign and certify `pdf` in an invisible field, appended as an incremental update
    so that the original bytes (and a PDF/A conformance) stay as they were. The token
    comes from the time-stamping service at `timestamp_url`, else from the local
    authority in `keys`. Raises pyHanko's errors when `pdf` cannot be read or the
    service does not answer."""
    (root,) = load_certs_from_pemder_data(keys.root_certificate)
    (certificate,) = load_certs_from_pemder_data(keys.signing_certificate)
    signer = SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(keys.signing_key, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([root]),
        embed_roots=True,
    )
    metadata = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    timestamper = _timestamper(keys, root, timestamp_url)
    pdf_signer = PdfSigner(metadata, signer, timestamper=timestamper)
    writer = _PdfAKeepingWriter(BytesIO(pdf))
    signed = _outside_event_loop(pdf_signer.sign_pdf, writer)
    return bytes(signed.getbuffer())


def check_signature(pdf: bytes, trust_roots: Sequence[bytes]) -> SignatureCheck:
    """Check the department's signature on `pdf` against `trust_roots` (PEM
    certificates), offline: as of now, or, when the certificates have expired since, as
    of the signature's trusted time stamp (a COPR does not expire; the key that signed
    it may). Never raises on what `pdf` holds: any failure is a code. Raises ValueError
    when a trust root is not a certificate."""
    context = _validation_context(trust_roots)
    if (
        len(pdf) > MAX_SIZE
        or b"%PDF-" not in pdf[:HEADER_WINDOW]
        or not END.search(pdf[-END_WINDOW:])
    ):
        return SignatureCheck(valid=False, reason="not_a_pdf")
    # A damaged file fails anywhere in the parser, with any kind of exception.
    try:
        reader = PdfFileReader(BytesIO(pdf))
        reader.root  # noqa: B018 - resolving the catalogue proves the structure reads
    except Exception:
        return SignatureCheck(valid=False, reason="not_a_pdf")
    try:
        signatures = reader.embedded_signatures
    except Exception:
        return SignatureCheck(valid=False, reason="bad_signature")
    if not signatures:
        return SignatureCheck(valid=False, reason="unsigned")
    if len(signatures) > 1:
        return SignatureCheck(valid=False, reason="several_signatures")
    signature = signatures[0]
    if signature.sig_object_type != "/Sig":
        # A document time-stamp alone says when, not who.
        return SignatureCheck(valid=False, reason="unsigned")
    try:
        status = _outside_event_loop(
            validate_pdf_signature,
            signature,
            context,
            # Any update after the signature is refused below, whatever its content, so
            # pyHanko's judgement of which changes are allowed is not needed.
            skip_diff=True,
        )
        as_written = _contents_as_written(pdf, signature)
        if not status.trusted and status.timestamp_validity is not None:
            status = _as_of_time_stamp(signature, trust_roots, status)
    except Exception:
        return SignatureCheck(valid=False, reason="bad_signature")
    return _judge(status, as_written)


def _as_of_time_stamp(
    signature: EmbeddedPdfSignature, trust_roots: Sequence[bytes], status: PdfSignatureStatus
) -> PdfSignatureStatus:
    """The signature validated again with both chains judged at the time its time stamp
    gives: a signing certificate valid then, under a root trusted now, still signs."""
    stamp = status.timestamp_validity
    assert stamp is not None
    if not (stamp.intact and stamp.valid):
        return status
    context = _validation_context(trust_roots, moment=stamp.timestamp)
    return _outside_event_loop(
        validate_pdf_signature,
        signature,
        context,
        ts_validation_context=_validation_context(trust_roots, moment=stamp.timestamp),
        skip_diff=True,
    )


def _judge(status: PdfSignatureStatus, contents_as_written: bool) -> SignatureCheck:
    signer = _common_name(status.signing_cert)
    if not (status.intact and contents_as_written):
        return SignatureCheck(valid=False, reason="altered", signer=signer)
    if not status.valid:
        return SignatureCheck(valid=False, reason="bad_signature", signer=signer)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(valid=False, reason="changed_after_signing", signer=signer)
    if not status.trusted:
        return SignatureCheck(valid=False, reason="untrusted", signer=signer)
    timestamp = status.timestamp_validity
    if timestamp is None:
        return SignatureCheck(valid=False, reason="no_timestamp", signer=signer)
    if not (timestamp.intact and timestamp.valid and timestamp.trusted):
        return SignatureCheck(valid=False, reason="bad_timestamp", signer=signer)
    return SignatureCheck(
        valid=True,
        reason="valid",
        signer=signer,
        signed_at=timestamp.timestamp,
        signer_key_id=hashlib.sha256(status.signing_cert.dump()).digest()[:8],
    )


class _PdfAKeepingWriter(IncrementalPdfFileWriter):
    """An incremental update that keeps a PDF/A-2 or -3 document one."""

    def _update_meta(self) -> None:
        """Leave the document information and the XMP metadata as they were. pyHanko
        would append itself to /Producer in one, write only itself in the other, and take
        "now" twice for the modification date, where PDF/A wants the two to agree. Its
        author advises this override to keep metadata (MatthiasValvekens/pyHanko#223)."""

    def ensure_output_version(self, version: tuple[int, int]) -> None:
        """Declare PDF 1.7 at most: pyHanko marks a P-256 signature as PDF 2.0 (ISO/TS
        32002), but PDF/A-2 and -3 are built on 1.7, whose PAdES signatures allow ECDSA."""
        super().ensure_output_version(min(version, (1, 7)))


def _contents_as_written(pdf: bytes, signature: EmbeddedPdfSignature) -> bool:
    """Whether the signature's /Contents, the one gap in the signed bytes, holds nothing
    but the signature: its hex digits in one case, then zeros. The padding is covered by
    no signature, and would otherwise carry any bytes unnoticed."""
    _, end_of_first, start_of_second, _ = signature.byte_range
    content = signature.pkcs7_content
    digits = content.hex().encode()
    if pdf[end_of_first:start_of_second] not in (b"<%s>" % digits, b"<%s>" % digits.upper()):
        return False
    _, _, _, header, body, trailer = asn1_parser.parse(content)
    return not any(content[len(header) + len(body) + len(trailer) :])


def _timestamper(keys: KeyMaterial, root: x509.Certificate, url: str | None) -> TimeStamper:
    if url is not None:
        return HTTPTimeStamper(url)
    (certificate,) = load_certs_from_pemder_data(keys.timestamp_certificate)
    return DummyTimeStamper(
        tsa_cert=certificate,
        tsa_key=load_private_key_from_pemder_data(keys.timestamp_key, passphrase=None),
        certs_to_embed=SimpleCertificateStore.from_certs([root]),
    )


def _validation_context(
    trust_roots: Sequence[bytes], moment: datetime | None = None
) -> ValidationContext:
    roots = [root for pem in trust_roots for root in load_certs_from_pemder_data(pem)]
    # The development PKI publishes no revocation lists: soft-fail checks what is
    # embedded and never goes online.
    return ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=moment
    )


def _common_name(certificate: x509.Certificate | None) -> str | None:
    if certificate is None:
        return None
    name = certificate.subject.native.get("common_name")
    return name if isinstance(name, str) else None


def _outside_event_loop(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call one of pyHanko's synchronous functions, which start their own event loop;
    asyncio refuses that inside a running loop, so there it runs on a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
