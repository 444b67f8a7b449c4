"""The paper channel end to end: an application printed as a form, the form's pages
scanned at 150 or 300 dpi, blurred, noisy, saved as a poor JPEG, tilted, turned or
photographed at an angle, then read back: the document that comes back is the one that
was printed, character for character. A torn-off symbol or a payload that does not match
its CRC is named, and nothing is read from it."""

import base64
import dataclasses
import datetime
import functools
import json
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import zxingcpp

from passage.paper.document import FormDefinition, check_document, printed_form, stamped
from passage.paper.layout import render_pdf
from passage.paper.printed import PrintedForm
from passage.paper.reading import read_scan
from passage.paper.symbols import MAX_CHUNK, PayloadError, decode, encode
from tests.paper import degradations
from tests.paper.applications import applications, definition, longest
from tests.paper.scans import Image, pdf_bytes, pdf_pages, png_bytes

PRINTED_AT = datetime.datetime(
    2026, 12, 6, 14, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))
)
SEED = 2026

DEGRADATIONS = degradations.UPLOADS
CASES = [(name, dpi) for dpi in (150, 300) for name in DEGRADATIONS]


@functools.cache
def form_definition() -> FormDefinition:
    return definition()


@functools.cache
def documents() -> tuple[dict[str, Any], ...]:
    """The documents the cases print, one a case: the largest a form takes first (three
    symbols over two pages), then generated ones."""
    made = [longest(seed=SEED), *applications(len(CASES) - 1, seed=SEED)]
    return tuple(stamped(document, PRINTED_AT) for document in made)


@functools.cache
def printed_pages(number: int, dpi: int) -> tuple[Image, ...]:
    """The pages of document `number`'s form, printed and scanned at `dpi`."""
    document = documents()[number]
    return tuple(pdf_pages(render_pdf(printed_form(form_definition(), document)), dpi))


def read_back(
    pages: list[Image] | tuple[Image, ...], to_file: Callable[[Image], bytes] = png_bytes
) -> tuple[str, dict[str, Any]]:
    """The form read from its pages, each made a file by `to_file`, as intake reads a form
    sent a page a file: the last pages first, where the symbols are, until the symbols
    make up the document; PayloadError naming what is missing or wrong when they never
    do."""
    texts: list[str] = []
    for page in reversed(pages):
        texts.extend(text for text in read_scan(to_file(page)).texts if text not in texts)
        try:
            return decode(texts)
        except PayloadError:
            continue
    return decode(texts)


@pytest.mark.parametrize(("degradation", "dpi"), CASES, ids=[f"{n}, {d} dpi" for n, d in CASES])
def test_a_printed_application_scanned_and_degraded_reads_back_exactly(
    degradation: str, dpi: int
) -> None:
    number = CASES.index((degradation, dpi))
    printed = documents()[number]
    pages = printed_pages(number, dpi)

    form, document = read_back(pages, lambda page: DEGRADATIONS[degradation](page, dpi))

    assert form == "cit-grant-adult"
    assert document == printed
    assert check_document(form_definition(), document) == printed


def test_the_largest_form_puts_its_symbols_on_more_than_one_page() -> None:
    # The first case's document: it is only worth its place if it tests that.
    symbol_pages = [page for page in printed_pages(0, 150) if zxingcpp.read_barcodes(page)]

    assert len(printed_form(form_definition(), documents()[0]).symbols) == 3
    assert len(symbol_pages) == 2


def test_a_scanners_pdf_of_every_page_reads_back_exactly() -> None:
    pages = [degradations.rotate(page, 3) for page in printed_pages(0, 150)]

    reading = read_scan(pdf_bytes(*pages, dpi=150), dpi=150)

    assert decode(reading.texts) == ("cit-grant-adult", documents()[0])


def test_the_printed_pdf_itself_reads_back_exactly() -> None:
    printed = documents()[1]

    reading = read_scan(render_pdf(printed_form(form_definition(), printed)))

    assert decode(reading.texts) == ("cit-grant-adult", printed)


def test_generated_applications_are_valid_forms_of_every_shape() -> None:
    made = applications(300, seed=SEED)
    for document in made:
        check_document(form_definition(), document, printed=False)
    applicants = [document["applicant"] for document in made]
    absences = [len(document["facts"]["absences"]) for document in made]

    assert applications(5, seed=SEED) == made[:5]
    assert max(len(person["family_name"]) for person in applicants) == 100
    assert any("email" not in person for person in applicants)
    assert any("address" not in person for person in applicants)
    assert min(absences) == 0
    assert max(absences) >= 55
    assert {document["facts"]["language_clb"] is None for document in made} == {True, False}
    assert {document["facts"]["knowledge_test_passed"] for document in made} == {
        None,
        True,
        False,
    }


def in_three_symbols(document: dict[str, Any]) -> tuple[str, ...]:
    """The document's PSG1 symbols, its payload cut in three chunks."""
    payload = sum(len(text.rsplit(":", 1)[1]) for text in encode(document, form="x"))
    chunk = -(-payload // 3)
    assert chunk <= MAX_CHUNK
    texts = encode(document, form="cit-grant-adult", chunk=chunk)
    assert len(texts) == 3
    return tuple(texts)


def symbol_pages(form: PrintedForm, dpi: int) -> list[Image]:
    """The pages of the printed form that hold its symbols, scanned at `dpi`."""
    return [page for page in pdf_pages(render_pdf(form), dpi) if zxingcpp.read_barcodes(page)]


def test_a_form_with_a_symbol_torn_off_says_which_one_and_gives_no_document() -> None:
    printed = documents()[2]
    form = dataclasses.replace(
        printed_form(form_definition(), printed), symbols=in_three_symbols(printed)
    )
    pages = symbol_pages(form, 150)
    for page in pages:
        for found in zxingcpp.read_barcodes(page):
            if found.text.startswith("PSG1:cit-grant-adult:2:3:"):
                corners = found.position
                xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x]
                ys = [corners.top_left.y, corners.bottom_left.y, corners.bottom_right.y]
                page[min(ys) - 6 : max(ys) + 6, min(xs) - 6 : max(xs) + 6] = 255

    with pytest.raises(PayloadError) as refused:
        read_back(pages)

    assert str(refused.value) == "symbol 2 of 3 not found"


def with_crc_of(original: dict[str, Any], altered: dict[str, Any]) -> tuple[str, ...]:
    """The symbols of `altered` that carry the CRC of `original`, as a form changed after
    printing would."""
    raw = json.dumps(original, ensure_ascii=False, separators=(",", ":")).encode()
    crc = f"{zlib.crc32(raw) & 0xFFFFFFFF:08x}"
    changed = json.dumps(altered, ensure_ascii=False, separators=(",", ":")).encode()
    text = base64.b64encode(zlib.compress(changed, 9)).decode("ascii")
    chunks = [text[start : start + MAX_CHUNK] for start in range(0, len(text), MAX_CHUNK)]
    return tuple(
        f"PSG1:cit-grant-adult:{number}:{len(chunks)}:{crc}:{chunk}"
        for number, chunk in enumerate(chunks, start=1)
    )


def test_a_form_whose_answers_do_not_match_its_crc_is_refused() -> None:
    printed = documents()[3]
    name = printed["applicant"]["family_name"]
    one_letter_changed = ("Y" if name[0] == "X" else "X") + name[1:]
    altered = {**printed, "applicant": {**printed["applicant"], "family_name": one_letter_changed}}
    symbols = with_crc_of(printed, altered)
    form = dataclasses.replace(printed_form(form_definition(), printed), symbols=symbols)
    pages = symbol_pages(form, 150)

    with pytest.raises(PayloadError) as refused:
        read_back(pages)

    assert str(refused.value) == "CRC mismatch"
    assert {text for page in pages for text in read_scan(png_bytes(page)).texts} == set(symbols)
