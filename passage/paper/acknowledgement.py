"""A receipt on paper for a client whose form gave no email address: one Letter page,
laid out with reportlab (pure: the words come from the caller, in the client's language)."""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from passage.paper.fonts import load_fonts


@dataclass(frozen=True)
class Acknowledgement:
    language: str
    heading: str
    recipient: tuple[str, ...]
    reference: str
    reference_label: str
    paragraphs: tuple[str, ...]


def render_acknowledgement(receipt: Acknowledgement) -> bytes:
    """The receipt as a one-page PDF: the address block for a window envelope, the
    heading, the reference, and the paragraphs."""
    fonts = load_fonts()
    regular, bold = fonts.regular, fonts.bold
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1, lang=receipt.language)
    width, height = LETTER
    left = 25 * mm
    y = height - 50 * mm
    canvas.setFont(regular, 11)
    for line in receipt.recipient:
        canvas.drawString(left, y, line)
        y -= 14
    y -= 30
    canvas.setFont(bold, 15)
    canvas.drawString(left, y, receipt.heading)
    y -= 24
    canvas.setFont(bold, 12)
    canvas.drawString(left, y, f"{receipt.reference_label}: {receipt.reference}")
    y -= 24
    canvas.setFont(regular, 11)
    for paragraph in receipt.paragraphs:
        for line in _wrap(canvas, paragraph, regular, 11, width - 2 * left):
            canvas.drawString(left, y, line)
            y -= 15
        y -= 8
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and canvas.stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines
