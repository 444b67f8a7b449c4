"""Reading an eCOPR back without trusting it (pure: no Django): the record attached to the
PDF, and the QR codes on its pages or in a photo of one. Nothing here raises on a bad
file: what cannot be read is absent. Whether what was read is genuine is for
`passage.ecopr.verification` to say."""

import io
import json
import logging
from typing import Any

import numpy as np
import zxingcpp
from pypdf import PdfReader

from passage.ecopr.pdfa import ATTACHMENT
from passage.paper.reading import page_images

logger = logging.getLogger(__name__)

# An eCOPR is one or two pages and its record a few kilobytes: more is not one of ours.
MAX_PAGES = 5
MAX_RECORD_BYTES = 256 * 1024
_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def embedded_record(pdf: bytes) -> dict[str, Any] | None:
    """The `copr.json` attached to `pdf`, parsed; None when it is absent, larger than a
    record can be, not a JSON object, or the PDF cannot be read."""
    try:
        files = PdfReader(io.BytesIO(pdf), strict=False).attachments.get(ATTACHMENT)
        if not files or len(files) != 1 or len(files[0]) > MAX_RECORD_BYTES:
            return None
        record = json.loads(files[0].decode("utf-8"))
    except Exception:  # a damaged or hostile file fails in any of pypdf's ways
        logger.info("no readable %s in the PDF", ATTACHMENT, exc_info=True)
        return None
    return record if isinstance(record, dict) else None


def qr_texts(pdf: bytes, *, dpi: int = 200) -> list[str]:
    """The texts of the QR codes on the pages of `pdf` (each drawn at `dpi` with
    pdfium), each once, in page order; empty when none is found or the file is not a
    PDF of at most MAX_PAGES pages."""
    if not pdf.startswith(b"%PDF-"):
        return []
    return _texts(pdf, dpi)


def qr_texts_in_image(image_bytes: bytes) -> list[str]:
    """The texts of the QR codes in a photo or scan (PNG or JPEG), each once; empty when
    none is found or the file is not an image that size limits allow (see
    `passage.paper.reading.MAX_IMAGE_PIXELS`)."""
    if image_bytes.startswith(b"%PDF-"):
        return []
    return _texts(image_bytes, 200)


def _texts(content: bytes, dpi: int) -> list[str]:
    found: list[str] = []
    try:
        _kind, images = page_images(content, dpi=dpi, max_pages=MAX_PAGES)
        for image in images:
            for barcode in zxingcpp.read_barcodes(np.ascontiguousarray(image), formats=_QR):
                if barcode.valid and barcode.text and barcode.text not in found:
                    found.append(barcode.text)
    except Exception:  # whatever the file, the answer is the codes read so far
        logger.info("could not read the QR codes of a file", exc_info=True)
    return found
