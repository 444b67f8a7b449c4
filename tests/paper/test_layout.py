"""The printed form: its pages say every answer in words, whole, in both languages, and
its last pages carry PDF417 symbols that a scanner reads back exactly."""

import functools
import io
import random
import re

import numpy as np
import pypdfium2
import zxingcpp
from pypdf import PdfReader

from passage.paper.fonts import load_fonts
from passage.paper.layout import render_pdf, render_pdf_with
from passage.paper.printed import PrintedForm
from tests.paper.printed_forms import LONG_NAME, document, printed_form

SCAN_DPI = 150
MM_PER_INCH = 25.4
ELSEWHERE = "Москва, Ελλάδα"


@functools.cache
def typical() -> tuple[PrintedForm, bytes]:
    form = printed_form(document(family_name=LONG_NAME, place_of_birth=ELSEWHERE))
    return form, render_pdf(form)


@functools.cache
def many_symbols() -> tuple[PrintedForm, bytes]:
    # Random bytes do not compress: the payload needs many 300-character symbols.
    form = printed_form({**document(), "notes": random.Random(7).randbytes(900).hex()}, chunk=300)
    return form, render_pdf(form)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def scanned_symbols(pdf: bytes) -> list[list[str]]:
    """The symbol texts a scanner reads on each page, printed then scanned at 150 dpi."""
    pages = pypdfium2.PdfDocument(pdf)
    return [
        [
            found.text
            for found in zxingcpp.read_barcodes(
                pages[number].render(scale=SCAN_DPI / 72).to_pil(),
                formats=zxingcpp.BarcodeFormat.PDF417,
            )
        ]
        for number in range(len(pages))
    ]


def longest_run(row: np.ndarray) -> int:
    edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
    return int((edges[1::2] - edges[::2]).max(initial=0))


def test_a_typical_form_has_a_page_of_answers_and_a_page_of_symbols_each_headed_in_both_languages():
    form, pdf = typical()

    texts = page_texts(pdf)

    assert len(texts) == 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of 2 / Page {number} de 2" in text
        assert form.title.en in text
        assert form.title.fr in text
        assert "cit-grant-adult, version 1" in text
        assert "2026-12-06T14:03:00-05:00" in text


def test_every_answer_prints_whole_with_its_accents_and_its_script():
    form, pdf = typical()

    answers = flat(page_texts(pdf)[0])

    assert len(LONG_NAME) == 180
    assert flat(LONG_NAME) in answers
    assert ELSEWHERE in answers
    for section in form.sections:
        assert flat(f"{section.title.en} / {section.title.fr}") in answers
        for row in section.rows:
            assert flat(f"{row.label.en} / {row.label.fr}") in answers
            assert flat(row.value) in answers


def test_an_answer_of_several_lines_keeps_them_one_to_a_line():
    _, pdf = typical()

    assert "123 rue Saint-Denis\napp. 4\nMontréal QC\nH2X 3K8" in page_texts(pdf)[0]


def test_a_name_of_two_hundred_letters_without_a_space_prints_whole_over_several_lines():
    name = "Wolfeschlegelsteinhausenbergerdorffé" * 6
    form = printed_form(document(family_name=name))

    text = page_texts(render_pdf(form))[0]

    assert len(name) > 200
    assert name in re.sub(r"\s", "", text)


def test_the_symbols_are_on_the_last_page_only_and_read_back_exactly():
    form, pdf = typical()

    scanned = scanned_symbols(pdf)
    last = page_texts(pdf)[-1]

    assert scanned[:-1] == [[]]
    assert sorted(scanned[-1]) == sorted(form.symbols)
    assert "Symbol 1 of 1 / Symbole 1 de 1" in last
    assert flat(form.instructions.en) in flat(last)
    assert flat(form.instructions.fr) in flat(last)


def test_the_symbols_are_printed_at_more_than_a_third_of_a_millimetre_a_module():
    _, pdf = typical()
    page = pypdfium2.PdfDocument(pdf)[1].render(scale=SCAN_DPI / 72).to_pil().convert("L")
    dark = np.asarray(page) < 128
    # The widest bar on the page is the start pattern's first, eight modules wide.
    widest = max(longest_run(row) for row in dark)

    module_mm = widest / 8 / SCAN_DPI * MM_PER_INCH

    assert 0.45 < module_mm < 0.55


def test_a_payload_of_many_symbols_spreads_over_the_last_pages_with_no_symbol_split():
    form, pdf = many_symbols()

    scanned = scanned_symbols(pdf)
    texts = page_texts(pdf)
    first = next(number for number, found in enumerate(scanned) if found)

    assert len(form.symbols) >= 6
    assert len(scanned) - first > 1
    assert all(scanned[first:])
    assert not any(scanned[:first])
    assert sorted(text for found in scanned for text in found) == sorted(form.symbols)
    count = len(form.symbols)
    for number, found in enumerate(scanned):
        for text in found:
            index = form.symbols.index(text) + 1
            assert f"Symbol {index} of {count} / Symbole {index} de {count}" in texts[number]


def test_the_same_form_prints_the_same_bytes():
    form, pdf = typical()

    assert render_pdf(form) == pdf


def test_without_a_truetype_font_the_form_still_prints_and_its_symbols_carry_every_answer(
    tmp_path,
):
    form = printed_form(document(place_of_birth="Montréal"))
    missing = str(tmp_path / "missing.ttf")

    pdf = render_pdf_with(form, load_fonts(regular=[missing], bold=[missing], fallbacks=[]))

    assert "Montréal" in page_texts(pdf)[0]
    assert scanned_symbols(pdf)[-1] == list(form.symbols)
