"""Any decoder that follows the public contract reads the forms Passage prints: here a
PDF417 decoder and a PSG1 reader that share no code with Passage's printing."""

import base64
import json
import warnings
import zlib
from typing import Any

import numpy as np
import pypdfium2
from pdf417decoder import PDF417Decoder
from PIL import Image

from passage.paper.layout import render_pdf
from tests.paper.printed_forms import LONG_NAME, document, printed_form

SCAN_DPI = 200
# A symbol is one block of ink rows with no blank row inside it, ten millimetres and more
# tall; lines of text are a few millimetres.
SYMBOL_MIN_HEIGHT = round(10 / 25.4 * SCAN_DPI)
LEVEL_5_CORRECTION_CODEWORDS = 2 ** (5 + 1)


def symbol_crops(page: Image.Image) -> list[Image.Image]:
    """Each symbol of a scanned page, cut out with a margin of white around it."""
    gray = page.convert("L")
    inked = (np.asarray(gray) < 128).any(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inked.astype(np.int8), [0]))))
    return [
        gray.crop((0, max(top - 16, 0), gray.width, min(bottom + 16, gray.height)))
        for top, bottom in zip(edges[::2], edges[1::2], strict=True)
        if bottom - top >= SYMBOL_MIN_HEIGHT
    ]


def read_by_the_contract(texts: list[str]) -> dict[str, Any]:
    """A PSG1 reader written from the contract's words alone."""
    parts = [text.split(":", 5) for text in texts]
    assert all(part[0] == "PSG1" and part[1] == "cit-grant-adult" for part in parts)
    count, crc = int(parts[0][3]), parts[0][4]
    by_index = {int(part[2]): part[5] for part in parts}
    assert sorted(by_index) == list(range(1, count + 1))
    raw = zlib.decompress(base64.b64decode("".join(by_index[n] for n in sorted(by_index))))
    assert format(zlib.crc32(raw), "08x") == crc
    return json.loads(raw.decode("utf-8"))


def test_the_symbols_passage_prints_are_read_by_a_decoder_that_shares_no_code_with_it():
    doc = document(family_name=LONG_NAME, place_of_birth="Москва, Ελλάδα")
    pdf = render_pdf(printed_form(doc, chunk=600))
    pages = pypdfium2.PdfDocument(pdf)

    texts: list[str] = []
    corrections: list[int] = []
    for number in range(len(pages)):
        for crop in symbol_crops(pages[number].render(scale=SCAN_DPI / 72).to_pil()):
            decoder = PDF417Decoder(crop)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # the decoder's own arithmetic
                found = decoder.decode()
            texts += [decoder.barcode_data_index_to_string(i) for i in range(found)]
            corrections += [info.error_correction_length for info in decoder.barcodes_info or []]

    assert len(texts) >= 2
    assert min(corrections) >= LEVEL_5_CORRECTION_CODEWORDS
    assert read_by_the_contract(texts) == doc
