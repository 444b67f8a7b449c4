"""Reading a scan back: a printed form's symbols come back whole from a clean scan, a
tilted, turned, blurred, noisy, low-resolution or JPEG-compressed one, a phone photo at
an angle and a PDF; what is missing is said by the decoder; and an upload that is not a
readable scan is refused in plain words before it can fill the memory."""

import struct
import time
import zlib
from collections.abc import Callable

import numpy as np
import pytest

from passage.paper.reading import (
    MAX_IMAGE_PIXELS,
    PageReading,
    ScanError,
    page_images,
    read_scan,
)
from passage.paper.symbols import PayloadError, decode
from tests.paper import degradations
from tests.paper.scans import (
    DOCUMENT,
    FORM,
    LETTER,
    TEXTS,
    Image,
    jpeg_bytes,
    page_with_symbols,
    pdf_bytes,
    png_bytes,
)


@pytest.fixture(scope="module")
def page() -> Image:
    return page_with_symbols()


DEGRADED: dict[str, Callable[[Image], bytes]] = {
    "a clean scan": png_bytes,
    "a scan at 150 dpi": lambda page: png_bytes(degradations.at_dpi(page, 150)),
    "a blurred scan": lambda page: png_bytes(degradations.blur(page, 2.0)),
    "a noisy scan": lambda page: png_bytes(degradations.noise(page, 25)),
    "a JPEG of quality 30": lambda page: jpeg_bytes(page, quality=30),
    "a page tilted 3 degrees": lambda page: png_bytes(degradations.rotate(page, 3)),
    "a page tilted 10 degrees the other way": lambda page: png_bytes(
        degradations.rotate(page, -10)
    ),
    "a page turned a quarter": lambda page: png_bytes(degradations.rotate(page, 90)),
    "a page upside down and tilted": lambda page: png_bytes(
        degradations.rotate(degradations.rotate(page, 180), 3)
    ),
    "a phone photo at an angle": lambda page: jpeg_bytes(degradations.perspective(page)),
    "a phone photo of a 150-dpi print, tilted": lambda page: jpeg_bytes(
        degradations.perspective(degradations.rotate(degradations.at_dpi(page, 150), 4))
    ),
}


@pytest.mark.parametrize("scan", DEGRADED.values(), ids=DEGRADED.keys())
def test_every_symbol_reads_back_and_decodes_to_the_document(
    page: Image, scan: Callable[[Image], bytes]
) -> None:
    reading = read_scan(scan(page))

    assert set(reading.texts) == set(TEXTS)
    assert decode(reading.texts) == (FORM, DOCUMENT)


def test_a_pdf_of_the_scanned_page_reads_the_same_as_the_image(page: Image) -> None:
    reading = read_scan(pdf_bytes(page))

    assert reading.kind == "pdf"
    assert set(reading.texts) == set(TEXTS)
    assert decode(reading.texts) == (FORM, DOCUMENT)


def test_each_page_of_a_pdf_says_what_it_holds(page: Image) -> None:
    answers = np.full_like(page, 255)
    answers[300:340, 150:2000] = 0  # a line of the answers in words

    reading = read_scan(pdf_bytes(answers, page))

    assert [one.number for one in reading.pages] == [1, 2]
    assert reading.pages[0] == PageReading(number=1, texts=())
    assert set(reading.pages[1].texts) == set(TEXTS)


def test_the_kind_comes_from_the_content_not_the_name(page: Image) -> None:
    assert read_scan(png_bytes(page)).kind == "png"
    assert read_scan(jpeg_bytes(page)).kind == "jpeg"


def test_the_other_symbols_of_a_page_missing_one_are_read_and_the_gap_is_named() -> None:
    reading = read_scan(png_bytes(page_with_symbols(blank=(2,))))

    assert set(reading.texts) == {TEXTS[0], TEXTS[2]}
    with pytest.raises(PayloadError, match=r"^symbol 2 of 3 not found$"):
        decode(reading.texts)


def test_an_empty_white_page_gives_no_text() -> None:
    width, height = LETTER
    reading = read_scan(png_bytes(np.full((height, width), 255, dtype=np.uint8)))

    assert reading.texts == ()
    assert reading.pages == (PageReading(number=1, texts=()),)


def test_pdf_pages_are_drawn_grey_at_the_resolution_asked(page: Image) -> None:
    kind, images = page_images(pdf_bytes(page, page), dpi=150, max_pages=5)

    assert kind == "pdf"
    assert len(images) == 2
    for image in images:  # 11 x 8.5 inches at 150 dpi, give or take a rounded pixel
        assert image.ndim == 2
        assert abs(image.shape[0] - 1650) <= 1
        assert abs(image.shape[1] - 1275) <= 1
    assert all(image.dtype == np.uint8 for image in images)


def test_an_upload_that_is_not_an_image_is_refused_in_plain_words() -> None:
    with pytest.raises(ScanError, match=r"^the file is not a PDF, PNG or JPEG image$"):
        read_scan(b"Name,Given name\nTremblay,Amelie\n")


def test_a_truncated_png_is_refused_in_plain_words(page: Image) -> None:
    content = png_bytes(page)

    with pytest.raises(ScanError, match="damaged or incomplete"):
        read_scan(content[: len(content) // 2])


def test_a_pdf_that_does_not_open_is_refused_in_plain_words() -> None:
    with pytest.raises(ScanError, match=r"^the PDF could not be opened$"):
        read_scan(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")


def test_a_pdf_of_too_many_pages_is_refused(page: Image) -> None:
    small = degradations.at_dpi(page, 30)

    with pytest.raises(ScanError, match=r"^the PDF has 3 pages; at most 2 can be read$"):
        read_scan(pdf_bytes(small, small, small), max_pages=2)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_a_png_whose_header_claims_a_huge_image_is_refused_before_decoding() -> None:
    side = 100_000  # ten billion pixels: tens of gigabytes if decoded
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    bomb = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows)
    bomb += _png_chunk(b"IEND", b"")
    assert side * side > MAX_IMAGE_PIXELS

    started = time.perf_counter()
    with pytest.raises(ScanError, match="too large"):
        read_scan(bomb)
    assert time.perf_counter() - started < 1
