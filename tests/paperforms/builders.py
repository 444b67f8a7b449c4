"""Paper forms for the intake tests: documents of the adult grant, printed and scanned."""

import copy
import datetime
import io
from typing import Any

import pypdfium2
from PIL import Image

from passage.paper.document import FormDefinition
from passage.paperforms.catalogue import definition_for
from passage.paperforms.printing import form_pdf
from tests.builders import create_program
from tests.paper.printed_forms import DOCUMENT as SPEC_EXAMPLE

FORM = SPEC_EXAMPLE["form"]
PRINTED = datetime.datetime(2026, 12, 1, 14, 3, tzinfo=datetime.UTC)

# The contract's example, as a client sends it to be printed: no `printed_at` yet, signed
# before the day the tests receive it, the citizenship test passed.
DOCUMENT: dict[str, Any] = {
    **{key: value for key, value in SPEC_EXAMPLE.items() if key != "printed_at"},
    "facts": {**SPEC_EXAMPLE["facts"], "signing_date": "2026-11-30", "knowledge_test_passed": True},
}


def grant_form() -> FormDefinition:
    definition = definition_for(FORM)
    assert definition is not None
    return definition


def document(**applicant: Any) -> dict[str, Any]:
    """The adult grant's document (without `printed_at`), with applicant fields changed;
    a field given as None is left out."""
    made = copy.deepcopy(DOCUMENT)
    for name, value in applicant.items():
        if value is None:
            made["applicant"].pop(name, None)
        else:
            made["applicant"][name] = value
    return made


def printed(doc: dict[str, Any] | None = None) -> tuple[dict[str, Any], bytes]:
    """The document as printed, and the form's PDF."""
    return form_pdf(grant_form(), doc or document(), now=PRINTED)


def scanned(pdf: bytes, *, dpi: int = 200, image_format: str = "PNG") -> bytes:
    """The form's last page, as a scanner or a camera gives it."""
    pages = pypdfium2.PdfDocument(pdf)
    image = pages[len(pages) - 1].render(scale=dpi / 72).to_pil().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def blanked_symbol_scan(pdf: bytes) -> bytes:
    """A scan whose lower half (where a second symbol would be) is white."""
    image = Image.open(io.BytesIO(scanned(pdf)))
    width, height = image.size
    image.paste(255, (0, height // 3, width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def citizenship_program() -> None:
    create_program(
        "citizenship",
        name_en="Canadian citizenship \u2013 adult grant",
        name_fr="Citoyenneté canadienne \u2013 attribution pour adultes",
        categories=[],
        service_standard_days=365,
    )
