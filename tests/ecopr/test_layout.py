"""The eCOPR PDF: every field with its label in both languages, nothing cut short, every
font embedded, and what PDF/A-3b asks of the file (metadata, output intent, the record
attached as an associated file)."""

import dataclasses
import io
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader

from passage.ecopr import layout
from passage.ecopr.credential import credential_of, issue
from passage.ecopr.drawing import QrCode
from passage.ecopr.layout import FontsMissing, render
from passage.ecopr.pdfa import record_document
from passage.ecopr.reading import embedded_record
from passage.ecopr.record import Bilingual, CoprRecord
from passage.ecopr.sections import LABELS, NOT_A_TRAVEL_DOCUMENT, TITLE
from passage.paper.fonts import load_fonts
from tests.ecopr.records import (
    ARABIC,
    CHINESE,
    CYRILLIC,
    LONG_FAMILY_NAME,
    LONG_GIVEN_NAMES,
    LONG_PLACE,
    LONGEST,
    TYPICAL,
    VERIFY_URL,
    signing_key,
)

BASE_14 = re.compile(r"(Helvetica|Times|Courier|Symbol|ZapfDingbats)")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian's poppler-utils) is not installed"
)


@cache
def pdf_of(record: CoprRecord, language: str = "en") -> bytes:
    key = signing_key()
    text = issue(credential_of(record, 42), key.private, key.kid)
    return render(record, text, verify_url=VERIFY_URL, language=language)


def text_of(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def body_of(pdf: bytes) -> str:
    """The text of `pdf` without the foot of its pages, which a value running over a page
    would otherwise have in its middle."""
    foot = re.compile(r"^(Document number|Numéro du document) .*$|^Page \d+ (of|de) \d+ .*$")
    return "\n".join(line for line in text_of(pdf).splitlines() if not foot.match(line))


def squeezed(text: str) -> str:
    """`text` without any whitespace, so that where a line wraps does not matter."""
    return "".join(unicodedata.normalize("NFC", text).split())


def catalog(pdf: bytes) -> Any:
    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]


@needs_poppler
def test_the_longest_names_and_place_of_birth_print_whole() -> None:
    printed = squeezed(body_of(pdf_of(LONGEST)))

    for value in (LONG_FAMILY_NAME, LONG_GIVEN_NAMES, LONG_PLACE, LONGEST.place_of_birth):
        assert squeezed(value) in printed


def test_every_field_of_the_record_has_a_label_or_is_printed_under_its_codes() -> None:
    # A country's names print beside its code, under the code's label.
    unlabelled = {field.name for field in dataclasses.fields(CoprRecord)} - set(LABELS)

    assert {name.removesuffix("_name") for name in unlabelled} <= set(LABELS)


@needs_poppler
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_field_label_and_notice_is_printed_in_both_languages(language: str) -> None:
    printed = squeezed(text_of(pdf_of(TYPICAL, language)))

    for label in [*LABELS.values(), TITLE, NOT_A_TRAVEL_DOCUMENT]:
        assert squeezed(label.en) in printed, label.en
        assert squeezed(label.fr) in printed, label.fr
    assert VERIFY_URL in printed


@needs_poppler
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_title_comes_first_in_the_clients_language(language: str) -> None:
    printed = text_of(pdf_of(TYPICAL, language))

    first, second = (TITLE.fr, TITLE.en) if language == "fr" else (TITLE.en, TITLE.fr)
    assert printed.index(first) < printed.index(second)


@needs_poppler
def test_every_value_of_the_record_is_printed() -> None:
    printed = squeezed(body_of(pdf_of(LONGEST)))

    values = [
        LONGEST.document_number,
        "98-7654-3210",
        LONGEST.date_of_birth.isoformat(),
        LONGEST.travel_document_number,
        LONGEST.travel_document_expiry.isoformat() if LONGEST.travel_document_expiry else "",
        LONGEST.application_number,
        LONGEST.became_permanent_resident_on.isoformat(),
        LONGEST.officer_name,
        LONGEST.issued_at.date().isoformat(),
    ]
    for text in (
        LONGEST.country_of_birth_name,
        LONGEST.citizenship_name,
        LONGEST.travel_document_country_name,
        LONGEST.category,
        LONGEST.became_permanent_resident_at,
        LONGEST.conditions,
        LONGEST.remarks,
        LONGEST.issuing_office,
    ):
        values += [text.en, text.fr]
    for value in values:
        assert squeezed(value) in printed, value


@needs_poppler
@pytest.mark.parametrize("record", [CHINESE, CYRILLIC], ids=["chinese", "cyrillic"])
def test_names_in_other_scripts_print_as_written(record: CoprRecord) -> None:
    if record is CHINESE and not any(
        "WenQuanYi" in f or "Droid" in f for f in fonts_of(pdf_of(record))
    ):
        pytest.skip("no installed font has Chinese characters (Debian's fonts-wqy-microhei)")

    printed = squeezed(text_of(pdf_of(record)))

    assert squeezed(record.family_name) in printed
    assert squeezed(record.given_names) in printed
    assert squeezed(record.place_of_birth) in printed


def test_an_arabic_name_is_attached_exactly_as_written() -> None:
    assert embedded_record(pdf_of(ARABIC)) == record_document(ARABIC)


@needs_poppler
def test_a_value_too_long_for_a_page_carries_the_document_onto_the_next() -> None:
    remarks = " ".join(f"Remark number {n} about the file." for n in range(250))
    record = dataclasses.replace(TYPICAL, remarks=Bilingual(remarks, "Voir la version anglaise."))

    pdf = pdf_of(record)

    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    assert squeezed(remarks) in squeezed(body_of(pdf))


def test_a_typical_record_fits_on_one_page() -> None:
    assert len(PdfReader(io.BytesIO(pdf_of(TYPICAL))).pages) == 1


def fonts_of(pdf: bytes) -> list[str]:
    """The base font name of every font in every page's resources."""
    names = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            names.append(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("record", [TYPICAL, LONGEST, CHINESE], ids=["typical", "longest", "cjk"])
def test_every_font_is_embedded_and_none_is_a_base_14_font(record: CoprRecord) -> None:
    reader = PdfReader(io.BytesIO(pdf_of(record)))

    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            assert not BASE_14.search(str(font["/BaseFont"])), font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_without_a_truetype_font_rendering_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    helvetica = load_fonts(regular=("/no/such/font.ttf",), bold=(), fallbacks=())
    monkeypatch.setattr(layout, "load_fonts", lambda: helvetica)

    with pytest.raises(FontsMissing, match="never set in Helvetica"):
        render(TYPICAL, "PRC1:ABC", verify_url=VERIFY_URL)


def test_the_xmp_metadata_declares_pdf_a_3b_and_repeats_the_title() -> None:
    information = PdfReader(io.BytesIO(pdf_of(TYPICAL))).metadata
    metadata = catalog(pdf_of(TYPICAL))["/Metadata"].get_object()
    xmp = metadata.get_data().decode("utf-8")

    assert "/Filter" not in metadata
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert information is not None
    assert f'<rdf:li xml:lang="x-default">{information.title}</rdf:li>' in xmp
    assert f"<pdf:Producer>{information.producer}</pdf:Producer>" in xmp
    assert information.creation_date == TYPICAL.issued_at


def test_the_output_intent_is_srgb_with_its_icc_profile() -> None:
    (intent,) = catalog(pdf_of(TYPICAL))["/OutputIntents"]
    intent = intent.get_object()
    profile = intent["/DestOutputProfile"].get_object()

    assert intent["/S"] == "/GTS_PDFA1"
    assert profile["/N"] == 3
    assert profile.get_data()[36:40] == b"acsp"
    assert profile.get_data()[16:20] == b"RGB "


def test_the_record_is_attached_as_copr_json_an_associated_data_file() -> None:
    pdf = pdf_of(LONGEST)
    (spec,) = catalog(pdf)["/AF"]
    spec = spec.get_object()

    assert spec["/F"] == spec["/UF"] == "copr.json"
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"
    assert embedded_record(pdf) == record_document(LONGEST)


def test_the_file_has_a_fixed_identifier_and_no_encryption_javascript_or_transparency() -> None:
    pdf = pdf_of(TYPICAL)
    reader = PdfReader(io.BytesIO(pdf))

    trailer: Any = reader.trailer
    first, second = trailer["/ID"]
    assert first == second
    assert len(first) == 16
    assert not reader.is_encrypted
    for marker in (b"/JavaScript", b"/JS", b"/SMask", b"/CA ", b"/ca ", b"/Group"):
        assert marker not in pdf
    assert pdf.startswith(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3")


def test_the_same_record_gives_the_same_bytes() -> None:
    first = render(TYPICAL, "PRC1:SAME", verify_url=VERIFY_URL)
    second = render(TYPICAL, "PRC1:SAME", verify_url=VERIFY_URL)

    assert first == second


@pytest.mark.parametrize("record", [TYPICAL, LONGEST], ids=["typical", "longest"])
def test_the_qr_code_is_at_least_35_mm_wide_with_modules_of_half_a_millimetre(
    record: CoprRecord,
) -> None:
    key = signing_key()
    symbol = QrCode(issue(credential_of(record, 42), key.private, key.kid))
    millimetre = 72 / 25.4

    assert len(symbol.matrix) * symbol.module >= 35 * millimetre
    assert symbol.module >= 0.5 * millimetre


def test_the_colour_profile_carries_a_fixed_date_so_the_same_record_renders_alike_later() -> None:
    import struct

    from passage.ecopr.pdfa import srgb_profile

    # Little CMS dates a profile when it makes it; a second later the bytes would differ.
    assert srgb_profile()[24:36] == struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
