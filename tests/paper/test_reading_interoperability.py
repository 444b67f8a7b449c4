"""A form another tool printed by the public contract reads: the PSG1 texts are built
here from the contract's steps alone, and the symbols drawn by zxing-cpp's own PDF417
writer, sharing no code with Passage's printing."""

import base64
import json
import zlib

import numpy as np
import zxingcpp

from passage.paper.reading import read_scan
from passage.paper.symbols import decode
from tests.paper import degradations
from tests.paper.scans import DOCUMENT, FORM, jpeg_bytes, page_with_symbols, png_bytes


def by_the_contract(document: dict[str, object], chunk: int) -> list[str]:
    """The symbols' texts, following the contract's words step by step."""
    raw = json.dumps(document, separators=(",", ":")).encode("utf-8")
    crc = format(zlib.crc32(raw) & 0xFFFFFFFF, "08x")
    payload = base64.b64encode(zlib.compress(raw)).decode("ascii")
    pieces = [payload[at : at + chunk] for at in range(0, len(payload), chunk)]
    count = len(pieces)
    return [f"PSG1:{FORM}:{index}:{count}:{crc}:{piece}" for index, piece in enumerate(pieces, 1)]


def drawn_by_zxing(text: str) -> np.ndarray:
    """One PDF417 symbol, error-correction level 5, six pixels a module (0.5 mm at 300
    dpi), by zxing-cpp's writer."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.PDF417, ec_level="5")
    return np.asarray(zxingcpp.write_barcode_to_image(barcode, scale=6), dtype=np.uint8)


def test_symbols_another_encoder_made_by_the_contract_are_read_and_decoded() -> None:
    texts = by_the_contract(DOCUMENT, chunk=450)
    assert len(texts) > 1
    page = page_with_symbols([drawn_by_zxing(text) for text in texts])

    reading = read_scan(png_bytes(page))

    assert set(reading.texts) == set(texts)
    assert decode(reading.texts) == (FORM, DOCUMENT)


def test_a_tilted_photo_of_another_encoders_symbols_reads_whole() -> None:
    texts = by_the_contract(DOCUMENT, chunk=450)
    page = page_with_symbols([drawn_by_zxing(text) for text in texts])

    reading = read_scan(jpeg_bytes(degradations.perspective(degradations.rotate(page, -3))))

    assert decode(reading.texts) == (FORM, DOCUMENT)
