"""Reading an eCOPR back: its QR code from the page as a printer or a scanner sees it, from
a photo, and the record attached to the file; nothing a stranger sends makes it raise."""

import dataclasses
import io
import shutil
import struct
import subprocess
import zlib
from functools import cache
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageFilter
from reportlab.pdfgen.canvas import Canvas

from passage.ecopr.credential import credential_of, issue, read
from passage.ecopr.layout import render
from passage.ecopr.pdfa import record_document
from passage.ecopr.reading import embedded_record, qr_texts, qr_texts_in_image
from passage.ecopr.record import CoprRecord
from tests.ecopr.records import CHINESE, LONGEST, TYPICAL, VERIFY_URL, signing_key

STATUS_INDEX = 4_242


@cache
def issued(record: CoprRecord) -> tuple[str, bytes]:
    """The QR text of `record` and its eCOPR."""
    key = signing_key()
    text = issue(credential_of(record, STATUS_INDEX), key.private, key.kid)
    return text, render(record, text, verify_url=VERIFY_URL)


def essentials(record: CoprRecord) -> object:
    return dataclasses.replace(credential_of(record, STATUS_INDEX), key_id=signing_key().kid)


def trusted() -> dict[bytes, bytes]:
    return {signing_key().kid: signing_key().public}


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (Debian's poppler-utils) is not installed"
)
@pytest.mark.parametrize("record", [TYPICAL, LONGEST], ids=["typical", "longest"])
def test_the_qr_code_as_poppler_prints_it_reads_back_to_the_records_essentials(
    record: CoprRecord, tmp_path: Path
) -> None:
    _, pdf = issued(record)
    (tmp_path / "copr.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "copr.pdf", "page"],  # noqa: S607
        cwd=tmp_path,
        check=True,
    )
    (page,) = tmp_path.glob("page*.png")

    qr_codes = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

    (barcode,) = zxingcpp.read_barcodes(Image.open(page), formats=qr_codes)

    assert read(barcode.text, trusted()) == essentials(record)


@pytest.mark.parametrize("record", [TYPICAL, LONGEST, CHINESE], ids=["typical", "longest", "cjk"])
def test_the_qr_codes_of_a_pdf_are_read_from_its_pages(record: CoprRecord) -> None:
    text, pdf = issued(record)

    assert qr_texts(pdf) == [text]


def test_a_lower_resolution_still_reads_the_code() -> None:
    text, pdf = issued(TYPICAL)

    assert qr_texts(pdf, dpi=120) == [text]


def photo_of(pdf: bytes, *, kind: str, turn: int) -> bytes:
    """The first page drawn at 150 dpi, turned and softened like a phone's photo."""
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    page = page.rotate(turn, expand=True, fillcolor="white").filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    page.convert("RGB").save(out, format=kind, quality=80)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "turn"), [("PNG", 0), ("JPEG", 90), ("JPEG", 7)])
def test_a_photo_or_scan_of_the_code_reads_back(kind: str, turn: int) -> None:
    text, pdf = issued(TYPICAL)

    assert qr_texts_in_image(photo_of(pdf, kind=kind, turn=turn)) == [text]


def test_the_attached_record_reads_back_whole() -> None:
    _, pdf = issued(LONGEST)

    assert embedded_record(pdf) == record_document(LONGEST)


def plain_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Confirmation of Permanent Residence")
    canvas.save()
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, and nothing else of worth."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\0" * 64
    )


def test_a_pdf_without_a_record_has_none() -> None:
    assert embedded_record(plain_pdf()) is None
    assert qr_texts(plain_pdf()) == []


GARBAGE = [
    b"",
    b"garbage",
    b"%PDF-1.7\n garbage that is not a PDF",
    b"\x89PNG\r\n\x1a\n not really",
    b"\xff\xd8\xff not really a JPEG",
    png_claiming(100_000, 100_000),
]


@pytest.mark.parametrize("content", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_raises(content: bytes) -> None:
    assert embedded_record(content) is None
    assert qr_texts(content) == []
    assert qr_texts_in_image(content) == []


def test_a_truncated_ecopr_never_raises() -> None:
    _, pdf = issued(TYPICAL)

    for cut in (100, len(pdf) // 2, len(pdf) - 50):
        assert embedded_record(pdf[:cut]) in (None, record_document(TYPICAL))
        assert isinstance(qr_texts(pdf[:cut]), list)


def test_a_pdf_is_not_read_as_an_image_nor_an_image_as_a_pdf() -> None:
    text, pdf = issued(TYPICAL)

    assert qr_texts_in_image(pdf) == []
    assert qr_texts(photo_of(pdf, kind="PNG", turn=0)) == []
    assert qr_texts(pdf) == [text]
