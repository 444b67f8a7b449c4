"""A printed form laid out as a PDF (pure: no Django): Letter pages with a bilingual
header, the answers in words section by section, then, from a new page, the PDF417
symbols that carry the whole JSON document, as the public PSG1 contract requires
(error-correction level 5 or higher, at least 0.33 mm per module, on the last pages)."""

import io
import re
from typing import Any
from xml.sax.saxutils import escape

import pdf417gen
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from passage.paper.counted_pages import CountedPagesCanvas
from passage.paper.fonts import FontSet, load_fonts
from passage.paper.printed import PrintedForm, Row, Section
from passage.programs.flow import Text

# 0.5 mm per module: half again the contract's 0.33 mm floor, so that a printer's "fit to
# page" shrink or a 150 dpi scan (about 3 pixels a module) still reads reliably.
MODULE_WIDTH = 0.5 * mm
# 16 data columns make a symbol 341 modules (170.5 mm) wide: it fits the Letter page
# between its margins with quiet zones to spare, and a full 900-character chunk takes 56
# rows (84 mm), so two full symbols share a page.
COLUMNS = 16
# Rows three modules high, the height ISO/IEC 15438 recommends and decoders expect.
ROW_HEIGHT = 3 * MODULE_WIDTH
# The contract's floor for error correction.
SECURITY_LEVEL = 5
# The quiet zone ISO/IEC 15438 asks for on every side of a symbol, at the least.
QUIET_ZONE = 2 * MODULE_WIDTH

PAGE_WIDTH, PAGE_HEIGHT = LETTER
SIDE_MARGIN = 18 * mm
BOTTOM_MARGIN = 15 * mm
HEADER_TOP = 12 * mm
TOP_MARGIN = 30 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * SIDE_MARGIN
BODY_SIZE = 10.0
HEADER_SIZE = 8.5
TITLE_SIZE = 12.0
_RULE = colors.HexColor("#9a9a9a")
_DARK_RUNS = re.compile("1+")


def render_pdf(form: PrintedForm) -> bytes:
    """The form as a PDF: the answers on its first pages, its symbols on the last ones.
    The same form gives the same bytes."""
    return render_pdf_with(form, load_fonts())


def render_pdf_with(form: PrintedForm, fonts: FontSet) -> bytes:
    """`render_pdf` in the given fonts (see `passage.paper.fonts.load_fonts`)."""
    buffer = io.BytesIO()
    frame = Frame(
        SIDE_MARGIN,
        BOTTOM_MARGIN,
        BODY_WIDTH,
        PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=[PageTemplate("page", [frame])],
        title=f"{form.title.en} / {form.title.fr}",
        subject=f"{form.code} {form.version}",
        author="Passage",
        creator="Passage",
        invariant=1,
    )
    answers = _answers(form.sections, fonts) + _signature(form.declaration, fonts)
    symbols = _symbols(form, fonts)
    # The symbols start on a page of their own, so that they are the form's last pages.
    story = [*answers, PageBreak(), *symbols] if answers and symbols else answers + symbols

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _HeaderedCanvas(form, fonts, *args, **kwargs)

    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()


def _answers(sections: tuple[Section, ...], fonts: FontSet) -> list[Flowable]:
    title = ParagraphStyle(
        "section",
        fontName=fonts.bold,
        fontSize=TITLE_SIZE,
        leading=TITLE_SIZE * 1.3,
        spaceBefore=4 * mm,
        spaceAfter=2 * mm,
        keepWithNext=1,
    )
    label = ParagraphStyle("label", fontName=fonts.bold, fontSize=BODY_SIZE - 1, leading=12)
    value = ParagraphStyle("value", fontName=fonts.regular, fontSize=BODY_SIZE, leading=13)
    story: list[Flowable] = []
    for section in sections:
        story.append(Paragraph(_markup(fonts, _both(section.title), bold=True), title))
        if not section.rows:
            continue
        cells = [_cells(row, fonts, label, value) for row in section.rows]
        # splitInRow: an answer taller than what is left of a page goes on over the next.
        table = Table(cells, colWidths=[0.38 * BODY_WIDTH, 0.62 * BODY_WIDTH], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, _RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(table)
    return story


def _signature(declaration: Text | None, fonts: FontSet) -> list[Flowable]:
    """The declaration in both languages and the lines the client signs and dates on,
    kept together on one page."""
    if declaration is None:
        return []
    text = ParagraphStyle(
        "declaration", fontName=fonts.regular, fontSize=BODY_SIZE, leading=13, spaceAfter=2 * mm
    )
    label = ParagraphStyle("sign", fontName=fonts.bold, fontSize=BODY_SIZE - 1, leading=12)
    lines = Table(
        [
            [
                Paragraph(_markup(fonts, "Signature", bold=True), label),
                "",
                Paragraph(_markup(fonts, "Date", bold=True), label),
                "",
            ]
        ],
        colWidths=[0.2 * BODY_WIDTH, 0.45 * BODY_WIDTH, 0.12 * BODY_WIDTH, 0.23 * BODY_WIDTH],
        rowHeights=[14 * mm],
    )
    lines.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.8, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.8, colors.black),
            ]
        )
    )
    return [
        KeepTogether(
            [
                Spacer(1, 5 * mm),
                Paragraph(_markup(fonts, declaration.en), text),
                Paragraph(_markup(fonts, declaration.fr), text),
                lines,
            ]
        )
    ]


def _cells(row: Row, fonts: FontSet, label: ParagraphStyle, value: ParagraphStyle) -> list[Any]:
    return [
        Paragraph(_markup(fonts, _both(row.label), bold=True), label),
        Paragraph(_markup(fonts, row.value), value),
    ]


def _symbols(form: PrintedForm, fonts: FontSet) -> list[Flowable]:
    if not form.symbols:
        return []
    note = ParagraphStyle(
        "note", fontName=fonts.regular, fontSize=BODY_SIZE, leading=13, spaceAfter=2 * mm
    )
    story: list[Flowable] = [
        Paragraph(_markup(fonts, text), note)
        for text in (form.instructions.en, form.instructions.fr)
    ]
    count = len(form.symbols)
    for index, text in enumerate(form.symbols, start=1):
        codes = pdf417gen.encode(text, columns=COLUMNS, security_level=SECURITY_LEVEL)
        caption = f"Symbol {index} of {count} / Symbole {index} de {count}"
        story.append(_Symbol(codes, caption, fonts.bold))
    return story


class _Symbol(Flowable):  # type: ignore[misc]
    """One PDF417 symbol under its caption, drawn as vector bars and never split."""

    _CAPTION = 9.0
    _GAP = 2 * mm

    def __init__(self, codes: list[list[int]], caption: str, font: str) -> None:
        super().__init__()
        self.rows = ["".join(format(word, "b") for word in row) for row in codes]
        self.caption = caption
        self.font = font
        self.bars_width = len(self.rows[0]) * MODULE_WIDTH
        self.bars_height = len(self.rows) * ROW_HEIGHT

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.bars_width + 2 * QUIET_ZONE > available_width:
            raise ValueError("a symbol is wider than the page: fewer columns are needed")
        self.width = available_width
        self.height = self._CAPTION + self._GAP + 2 * QUIET_ZONE + self.bars_height + 4 * mm
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        canvas.setFont(self.font, self._CAPTION)
        canvas.drawCentredString(self.width / 2, top - self._CAPTION, self.caption)
        left = (self.width - self.bars_width) / 2
        first_row_top = top - self._CAPTION - self._GAP - QUIET_ZONE
        # One path for all the bars, so that no seam shows between touching rows.
        path = canvas.beginPath()
        for number, bits in enumerate(self.rows):
            bottom = first_row_top - (number + 1) * ROW_HEIGHT
            for run in _DARK_RUNS.finditer(bits):
                width = (run.end() - run.start()) * MODULE_WIDTH
                path.rect(left + run.start() * MODULE_WIDTH, bottom, width, ROW_HEIGHT)
        canvas.setFillColor(colors.black)
        canvas.drawPath(path, stroke=0, fill=1)


class _HeaderedCanvas(CountedPagesCanvas):
    """A canvas whose pages each have a header that says "Page N of M"."""

    def __init__(self, form: PrintedForm, fonts: FontSet, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._form = form
        self._fonts = fonts

    def mark_page(self, number: int, total: int) -> None:
        form, fonts = self._form, self._fonts
        left, right = SIDE_MARGIN, PAGE_WIDTH - SIDE_MARGIN
        page = f"Page {number} of {total} / Page {number} de {total}"
        page_width = stringWidth(page, fonts.regular, HEADER_SIZE)
        baseline = PAGE_HEIGHT - HEADER_TOP
        for title in (form.title.en, form.title.fr):
            self._line(left, baseline, title, right - left - page_width - 6 * mm, bold=True)
            baseline -= TITLE_SIZE * 1.25
        self.setFont(fonts.regular, HEADER_SIZE)
        self.drawRightString(right, PAGE_HEIGHT - HEADER_TOP, page)
        details = (
            f"Form / Formulaire {form.code}, version {form.version}"
            f"  ·  Printed / Imprimé {form.printed_at}"
        )
        self._line(left, baseline, details, right - left, size=HEADER_SIZE)
        rule = baseline - 2.5 * mm
        self.setStrokeColor(_RULE)
        self.setLineWidth(0.6)
        self.line(left, rule, right, rule)

    def _line(
        self,
        x: float,
        y: float,
        text: str,
        room: float,
        *,
        bold: bool = False,
        size: float = TITLE_SIZE,
    ) -> None:
        """`text` on one line from (x, y), run by run in its fonts, smaller if it is wider
        than `room` (a header never wraps, so that the body always starts at one height)."""
        runs = self._fonts.runs(text, bold=bold)
        width = sum(stringWidth(chars, font, size) for font, chars in runs)
        if width > room:
            size *= room / width
        for font, chars in runs:
            self.setFont(font, size)
            self.drawString(x, y, chars)
            x += stringWidth(chars, font, size)


def _both(text: Text) -> str:
    return text.en if text.en == text.fr else f"{text.en} / {text.fr}"


def _markup(fonts: FontSet, text: str, *, bold: bool = False) -> str:
    """Paragraph markup for `text`: its lines kept, each run in a font that has it."""
    return "<br/>".join(
        "".join(
            f'<font face="{font}">{escape(chars)}</font>'
            for font, chars in fonts.runs(line, bold=bold)
        )
        for line in text.split("\n")
    )
