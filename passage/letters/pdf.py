"""A decision letter as a PDF: the client's language first, the other language after it
on a page of its own, as the department's bilingual letters are laid out.

Drawn with fpdf2 in the PDF standard Helvetica, whose Windows-1252 encoding has every
character of English and French: accents, French quotation marks, typographic
apostrophes, non-breaking spaces. A character it lacks (a name in another script) is
written without its accent, or as "?"; the letter's text on the site is exact.
"""

import unicodedata

from fpdf import FPDF

from passage.letters.markup import blocks
from passage.letters.models import DecisionLetter

_ENCODING = "windows-1252"
_TITLES = {
    "en": "Decision letter",
    "fr": "Lettre de décision",
}


def letter_pdf(letter: DecisionLetter) -> bytes:
    """The PDF of `letter`, both languages, the client's first."""
    first = letter.language
    order = (first, "fr" if first == "en" else "en")
    pdf = FPDF(format="Letter")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_title(_printable(_TITLES[first]))
    pdf.set_author("Immigration, Refugees and Citizenship Canada")
    pdf.set_lang("fr-CA" if first == "fr" else "en-CA")
    pdf.set_creation_date(letter.issued_at)
    pdf.set_margins(left=25, top=25, right=25)
    pdf.set_auto_page_break(auto=True, margin=20)
    for language in order:
        pdf.add_page()
        _draw(pdf, letter.body(language))
    return bytes(pdf.output())


def _draw(pdf: FPDF, text: str) -> None:
    first_heading = True
    for block in blocks(text):
        if block.kind == "heading":
            size = 16 if first_heading else 12
            first_heading = False
            pdf.ln(3)
            pdf.set_font("helvetica", style="B", size=size)
            pdf.multi_cell(0, size * 0.5, _printable(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "list":
            pdf.set_font("helvetica", size=11)
            for item in block.lines:
                pdf.multi_cell(0, 5.5, _printable("\u2022 " + item), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(0, 5.5, _printable(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)


def _printable(text: str) -> str:
    """`text` with each character the standard font cannot show replaced by its plain
    letter (é for ế, ł stays ?)."""
    out = []
    for character in text:
        try:
            character.encode(_ENCODING)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", character)[:1]
            try:
                plain.encode(_ENCODING)
                character = plain
            except UnicodeEncodeError:
                character = "?"
        out.append(character)
    return "".join(out)
