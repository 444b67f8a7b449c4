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

FORM = "cit-grant-adult"
PRINTED = datetime.datetime(2026, 12, 1, 14, 3, tzinfo=datetime.UTC)

DOCUMENT: dict[str, Any] = {
    "form": FORM,
    "form_version": 1,
    "applicant": {
        "given_name": "Amélie",
        "family_name": "Tremblay-Nguyễn",
        "date_of_birth": "1990-02-28",
        "place_of_birth": "Hanoi",
        "country_of_birth": "VN",
        "uci": "1122334455",
        "email": "amelie@example.org",
        "phone": "+1 514 555 0100",
        "preferred_language": "fr",
        "address": {
            "line1": "123 rue Saint-Denis",
            "line2": "app. 4",
            "city": "Montréal",
            "province": "QC",
            "postal_code": "H2X 3K8",
        },
    },
    "facts": {
        "signing_date": "2026-11-30",
        "became_pr_on": "2019-06-01",
        "pre_pr_periods": [{"from": "2017-09-01", "to": "2019-05-31"}],
        "absences": [{"from": "2022-07-01", "to": "2022-07-20"}],
        "tax_years_filed": [2021, 2022, 2023, 2024, 2025],
        "language_clb": 7,
        "knowledge_test_passed": True,
    },
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
