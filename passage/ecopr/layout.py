"""The eCOPR as a PDF/A-3b document (pure: no Django): a bilingual Letter page in the
style of a federal form, the signed credential's QR code on top (`drawing.py`), every
field of the record in labelled boxes (`sections.py`), and the record attached as
`copr.json` (`pdfa.py`).

Nothing is cut to fit: a long name or place wraps onto more lines, and a very long value
carries the document onto a further page. Text is set in the fonts of
`passage.paper.fonts`, so that names print in their own script. Unlike a paper form, an
eCOPR is never set in Helvetica: PDF/A needs every font embedded, and Helvetica cannot
print most names anyway."""

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from passage.ecopr import pdfa
from passage.ecopr.drawing import FooteredCanvas, QrCode
from passage.ecopr.record import Bilingual, CoprRecord
from passage.ecopr.sections import (
    DOCUMENT_NUMBER,
    NOT_A_TRAVEL_DOCUMENT,
    SIGNED,
    SIGNED_TEXT,
    TITLE,
    VERIFY,
    Field,
    Section,
    in_order,
    sections,
)
from passage.paper.fonts import FontSet, load_fonts

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 15 * mm
FOOTER = 10 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
AUTHOR = Bilingual(
    "Immigration, Refugees and Citizenship Canada", "Immigration, Réfugiés et Citoyenneté Canada"
)
_INK = colors.HexColor("#1a1a1a")
_RULE = colors.HexColor("#8c8c8c")
_BAND = colors.HexColor("#f0f0f0")
_LABEL = "#555555"


class FontsMissing(RuntimeError):
    """No TrueType font is installed: the eCOPR cannot embed its fonts, as PDF/A asks."""


def render(record: CoprRecord, qr_text: str, *, verify_url: str, language: str = "en") -> bytes:
    """The eCOPR of `record` as PDF/A-3b bytes, carrying `qr_text` (the signed credential)
    in its QR code and telling the reader to verify it at `verify_url`; `language`
    ("en" or "fr") comes first. The same arguments give the same bytes. FontsMissing
    when no TrueType font is installed."""
    fonts = load_fonts()
    if not fonts.unicode:
        raise FontsMissing(
            "no TrueType font was found (DejaVu Sans is expected, Debian's "
            "fonts-dejavu-core): an eCOPR is never set in Helvetica"
        )
    text = _Text(fonts)
    story = _heading(record, qr_text, verify_url, language, text)
    for section in sections(record, language):
        story.extend(_section(section, language, text))
    story.append(_closing(language, text))

    buffer = io.BytesIO()
    frame = Frame(
        MARGIN, MARGIN + FOOTER, BODY_WIDTH, PAGE_HEIGHT - 2 * MARGIN - FOOTER, 0, 0, 0, 0
    )
    title = in_order(TITLE, language)
    document = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        pageTemplates=[PageTemplate("page", [frame])],
        invariant=1,
        # The canvas's first font would otherwise be Helvetica, which is never embedded.
        initialFontName=fonts.regular,
        # PDF/A with an sRGB output intent: every colour in RGB.
        enforceColorSpace="rgb",
    )
    footer = f"{in_order(DOCUMENT_NUMBER, language)} {record.document_number}"

    def page(number: int, total: int) -> str:
        return in_order(
            Bilingual(f"Page {number} of {total}", f"Page {number} de {total}"), language
        )

    def canvas(*args: Any, **kwargs: Any) -> Canvas:
        return FooteredCanvas(footer, page, fonts.regular, MARGIN, *args, **kwargs)

    document.build(story, canvasmaker=canvas)
    return pdfa.finish(
        buffer.getvalue(),
        record=record,
        title=f"{title} \N{EN DASH} {record.document_number}",
        subject=title,
        author=in_order(AUTHOR, language),
        language=language,
    )


class _Text:
    """The paragraph styles of the document and the markup of its texts."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        regular, bold = fonts.regular, fonts.bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19)
        self.subtitle = ParagraphStyle("subtitle", fontName=bold, fontSize=12, leading=16)
        self.section = ParagraphStyle(
            "section", fontName=bold, fontSize=10.5, leading=14, textColor=colors.white
        )
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=10, leading=12.5)
        self.number = ParagraphStyle("number", fontName=regular, fontSize=9, leading=16)
        self.band = ParagraphStyle("band", fontName=bold, fontSize=11, leading=15, alignment=1)
        self.small = ParagraphStyle("small", fontName=regular, fontSize=9, leading=12)

    def markup(self, text: str, *, bold: bool = False, size: float | None = None) -> str:
        """Paragraph markup for `text`: its lines kept, each run in a font that has it."""
        sized = f' size="{size}"' if size else ""
        return "<br/>".join(
            "".join(
                f'<font face="{font}"{sized}>{escape(chars)}</font>'
                for font, chars in self.fonts.runs(line, bold=bold)
            )
            for line in text.split("\n")
        )

    def table(
        self, rows: list[list[Any]], widths: list[float], *commands: Any, **options: Any
    ) -> Table:
        """A table in the document's font: reportlab's default, Helvetica, would be set
        (and referenced unembedded) around every cell otherwise."""
        table = Table(rows, colWidths=widths, **options)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.fonts.regular, 10), *commands]))
        return table


def _heading(
    record: CoprRecord, qr_text: str, verify_url: str, language: str, text: _Text
) -> list[Flowable]:
    """The titles, the document number, the travel-document warning and where to verify,
    beside the QR code: on top of the first page, where a reader looks first."""
    first, second = (TITLE.fr, TITLE.en) if language == "fr" else (TITLE.en, TITLE.fr)
    symbol = QrCode(qr_text)
    room = BODY_WIDTH - symbol.width
    number = (
        text.markup(in_order(DOCUMENT_NUMBER, language), size=8)
        + "<br/>"
        + text.markup(record.document_number, bold=True, size=14)
    )
    warning = text.table(
        [[Paragraph(text.markup(in_order(NOT_A_TRAVEL_DOCUMENT, language), bold=True), text.band)]],
        [room - 4 * mm],
        ("BOX", (0, 0), (-1, -1), 1, _INK),
        ("BACKGROUND", (0, 0), (-1, -1), _BAND),
        hAlign="LEFT",
    )
    verify = text.markup(in_order(VERIFY, language)) + "<br/>" + text.markup(verify_url)
    titles = [
        Paragraph(text.markup(first, bold=True), text.title),
        Paragraph(text.markup(second, bold=True), text.subtitle),
        Spacer(1, 2.5 * mm),
        Paragraph(number, text.number),
        Spacer(1, 2.5 * mm),
        warning,
        Spacer(1, 2.5 * mm),
        Paragraph(verify, text.small),
    ]
    top = text.table(
        [[titles, symbol]],
        [room, symbol.width],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    )
    return [top]


def _section(section: Section, language: str, text: _Text) -> list[Flowable]:
    """A section's title bar over its rows of boxed fields."""
    heading = text.table(
        [[Paragraph(text.markup(in_order(section.title, language), bold=True), text.section)]],
        [BODY_WIDTH],
        ("BACKGROUND", (0, 0), (-1, -1), _INK),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    )
    flowables: list[Flowable] = [Spacer(1, 2 * mm)]
    for number, row in enumerate(section.rows):
        table = text.table(
            [[Paragraph(_cell(field, language, text), text.cell) for field in row]],
            [BODY_WIDTH / len(row)] * len(row),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.5, _RULE),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, _RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            # A value taller than what is left of the page goes on over the next one.
            splitInRow=1,
        )
        # A section's title never ends a page alone.
        flowables.append(KeepTogether([heading, table]) if number == 0 else table)
    return flowables


def _cell(field: Field, language: str, text: _Text) -> str:
    label = text.markup(in_order(field.label, language), size=7)
    return f'<font color="{_LABEL}">{label}</font><br/>{text.markup(field.value)}'


def _closing(language: str, text: _Text) -> Flowable:
    """What the digital signature means, in place of a signature box."""
    heading = text.markup(in_order(SIGNED, language) + ".", bold=True)
    body = text.markup(in_order(SIGNED_TEXT, language, separator=" "))
    return KeepTogether([Spacer(1, 3 * mm), Paragraph(f"{heading} {body}", text.small)])
