"""Verification as the public page and the command run it: the pure verdict on the
document or its QR code (signature, credential, the two agreeing), then the department's
own registers: the eCOPR must have been issued and must not be on the revocation list."""

import hashlib
from dataclasses import replace
from datetime import datetime

from passage.ecopr.reading import qr_texts_in_image
from passage.ecopr.verification import Verdict, verify_pdf, verify_qr_text
from passage.residence import selectors
from passage.residence.issuing import trust
from passage.residence.models import Ecopr


def _with_registers(verdict: Verdict) -> Verdict:
    if not verdict.genuine or verdict.credential is None:
        return verdict
    number = verdict.credential.document_number
    if not selectors.is_issued(number):
        return replace(verdict, genuine=False, reason="not_issued")
    if selectors.is_revoked(number):
        return replace(verdict, genuine=False, reason="revoked")
    return verdict


def check_issued_pdf(content: bytes, *, now: datetime) -> Verdict:
    """The verdict on a file someone sent the public page: only the bytes of an eCOPR the
    department issued are read as a PDF at all (each is served exactly as signed), so a
    hostile file costs a hash, never a parse; anything else is not as issued."""
    digest = hashlib.sha256(content).hexdigest()
    if not Ecopr.objects.filter(sha256=digest, size=len(content)).exists():
        return Verdict(genuine=False, reason="not_as_issued")
    return check_pdf(content, now=now)


def check_pdf(content: bytes, *, now: datetime) -> Verdict:
    """The verdict on an eCOPR file, read whole: the signature, the QR credential and the
    record it carries, then the registers (for `passage ecopr verify`, which a person runs
    on a file they hold)."""
    known = trust(now)
    return _with_registers(verify_pdf(content, known.roots, known.public_keys))


def check_qr_text(text: str, *, now: datetime) -> Verdict:
    """The verdict on the text of an eCOPR's QR code."""
    return _with_registers(verify_qr_text(text.strip(), trust(now).public_keys))


def check_qr_image(content: bytes, *, now: datetime) -> Verdict | None:
    """The verdict on a picture of an eCOPR's QR code; None when no QR code is found."""
    texts = qr_texts_in_image(content)
    if not texts:
        return None
    return check_qr_text(texts[0], now=now)
