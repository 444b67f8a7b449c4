"""Pages to read back, made here rather than stored: a Letter page at 300 dpi with lines
of text at the top and the PSG1 symbols of a form below, drawn with pdf417gen at about
0.5 mm a module, and the same page as the files an upload brings (PNG, JPEG, PDF)."""

import io
import random
from typing import Any

import cv2
import numpy as np
import pdf417gen
import pypdfium2
from numpy.typing import NDArray
from PIL import Image as PillowImage

from passage.paper.symbols import encode

Image = NDArray[np.uint8]

FORM = "cit-grant-adult"
DPI = 300
LETTER = (2550, 3300)  # width and height in pixels at 300 dpi
MODULE = 6  # pixels a module at 300 dpi: 0.51 mm
MARGIN = 150
# Chunks of 400 characters make three symbols of this document, which fit one Letter page
# at 0.5 mm a module (a full 900-character symbol is 13 cm tall at that size).
CHUNK = 400


def _dates(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    periods = []
    for _ in range(count):
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 18)
        periods.append(
            {
                "from": f"{year}-{month:02d}-{day:02d}",
                "to": f"{year}-{month:02d}-{day + rng.randint(1, 10):02d}",
            }
        )
    return periods


DOCUMENT: dict[str, Any] = {
    "form": FORM,
    "form_version": 1,
    "printed_at": "2026-12-06T14:03:00-05:00",
    "applicant": {
        "given_name": "Amélie-Héloïse Þórdís",
        "family_name": "Tremblay-Nguyễn de la Côte-des-Neiges",
        "date_of_birth": "1990-02-28",
        "place_of_birth": "Thành phố Hồ Chí Minh (Sài Gòn), quận Bình Thạnh",
        "country_of_birth": "VN",
        "uci": "1122334455",
        "email": "amelie.tremblay-nguyen@example.org",
        "phone": "+1 514 555 0100",
        "preferred_language": "fr",
        "address": {
            "line1": "12345 boulevard de l'Assomption-Saint-Jean-Baptiste-de-Rouville",
            "line2": "appartement 4, entrée arrière, sonner chez « Gauthier-Ébène »",
            "city": "Saint-Jean-sur-Richelieu",
            "province": "QC",
            "postal_code": "J3B 6Y7",
        },
    },
    "facts": {
        "signing_date": "2026-12-06",
        "became_pr_on": "2019-06-01",
        "pre_pr_periods": [{"from": "2017-09-01", "to": "2019-05-31"}],
        "absences": _dates(20, seed=1990),
        "tax_years_filed": [2021, 2022, 2023, 2024, 2025],
        "language_clb": 7,
        "knowledge_test_passed": None,
    },
}

TEXTS: tuple[str, ...] = tuple(encode(DOCUMENT, form=FORM, chunk=CHUNK))


def symbol_image(text: str, *, module: int = MODULE) -> Image:
    """One PDF417 symbol (error-correction level 5, 10 data columns) drawn by pdf417gen,
    `module` pixels a module, with a quiet zone of two modules."""
    codes = pdf417gen.encode(text, columns=10, security_level=5)
    drawn = pdf417gen.render_image(codes, scale=module, ratio=3, padding=2 * module)
    return np.asarray(drawn.convert("L"), dtype=np.uint8)


def _text_lines(page: Image, top: int, bottom: int, seed: int) -> None:
    rng = random.Random(seed)
    words = "Demande de citoyenneté Application for citizenship adulte adult grant "
    words += "Identité Identity naissance birth adresse address Québec résidence"
    vocabulary = words.split()
    y = top + 40
    while y < bottom:
        line = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(6, 11)))
        cv2.putText(page, line, (MARGIN, y), cv2.FONT_HERSHEY_SIMPLEX, 1.3, 0, 3, cv2.LINE_AA)
        y += 64


def page_with_symbols(
    symbols: list[Image] | None = None, *, seed: int = 0, blank: tuple[int, ...] = ()
) -> Image:
    """A white Letter page at 300 dpi: lines of text at the top, then the symbols one
    under the other, centred. By default the symbols of DOCUMENT; the positions (from 1)
    in `blank` are left white, as a symbol torn off or covered."""
    width, height = LETTER
    page = np.full((height, width), 255, dtype=np.uint8)
    drawn = symbols if symbols is not None else [symbol_image(text) for text in TEXTS]
    _text_lines(page, MARGIN, MARGIN + 300, seed)
    y = MARGIN + 340
    for position, symbol in enumerate(drawn, start=1):
        tall, wide = symbol.shape
        if y + tall > height - MARGIN // 2:
            raise ValueError("the symbols do not fit one page")
        if position not in blank:
            x = (width - wide) // 2
            page[y : y + tall, x : x + wide] = symbol
        y += tall + 40
    return page


def png_bytes(img: Image) -> bytes:
    """The page as a PNG file."""
    ok, data = cv2.imencode(".png", img)
    assert ok
    return data.tobytes()


def jpeg_bytes(img: Image, quality: int = 90) -> bytes:
    """The page as a JPEG file, as a phone saves it."""
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def pdf_bytes(*pages: Image, dpi: int = DPI) -> bytes:
    """The pages as a PDF of images, as a scanner writes one, `dpi` dots an inch."""
    images = [PillowImage.fromarray(page) for page in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()


def pdf_pages(pdf: bytes, dpi: int) -> list[Image]:
    """Every page of the PDF as a scanner set to `dpi` sees it, in grey."""
    pages = pypdfium2.PdfDocument(pdf)
    return [
        np.array(pages[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        for number in range(len(pages))
    ]
