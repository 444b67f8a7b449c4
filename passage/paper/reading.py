"""Reading a scan back: every PDF417 symbol on every page of an upload (a PDF from a
scanner, a PNG, a JPEG phone photo), as text (pure: no Django).

Each page is first read as it is, which is enough for a clean scan. When what was read
does not make up every PSG1 symbol of a set (a symbol says `:2:3:` and the scan holds
fewer than three of that printing), further passes try again: the page turned back
from its skew, each dark block cut out and straightened on its own, the sheet found in a
photo and flattened, the ink thresholded, a small or soft image enlarged, the page turned
a quarter or half. The texts of every pass are kept, each once. Reading only finds texts:
whether they make a whole and valid form is for `passage.paper.symbols.decode` to say."""

import io
import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import pypdfium2
import zxingcpp
from numpy.typing import NDArray
from PIL import Image, ImageOps

from passage.paper.symbols import PayloadError, read_symbol

logger = logging.getLogger(__name__)

Gray = NDArray[np.uint8]

# Above this many pixels a page is refused before it is decoded: a 48-megapixel phone
# photo and a Letter page at 600 dpi fit, a crafted "decompression bomb" does not.
MAX_IMAGE_PIXELS = 50_000_000
_POINTS_PER_INCH = 72
# Geometry is found on a copy this many pixels on its long side: enough to see a symbol's
# outline, small enough to cost a few milliseconds.
_OVERVIEW = 1200
# A page no longer than this (a Letter page under 200 dpi) is worth enlarging whole.
_LOW_RESOLUTION = 2200
_PDF417 = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.PDF417)
_PDF_MAGIC = b"%PDF-"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"


class ScanError(ValueError):
    """The upload cannot be read as a scan, said in plain words."""


@dataclass(frozen=True)
class PageReading:
    """The texts of the symbols found on one page (numbered from 1), each once."""

    number: int
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ScanReading:
    """What a whole upload holds: its kind ("pdf", "png" or "jpeg") and its pages."""

    kind: str
    pages: tuple[PageReading, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        """Every distinct text found, in page order."""
        return tuple(dict.fromkeys(text for page in self.pages for text in page.texts))


def sniff(content: bytes) -> str:
    """The kind of file from its first bytes ("pdf", "png" or "jpeg"), whatever it is
    called; ScanError for anything else."""
    # A PDF may start after a little junk (some scanners write a byte-order mark).
    if _PDF_MAGIC in content[:1024]:
        return "pdf"
    if content.startswith(_PNG_MAGIC):
        return "png"
    if content.startswith(_JPEG_MAGIC):
        return "jpeg"
    raise ScanError("the file is not a PDF, PNG or JPEG image")


def read_scan(content: bytes, *, dpi: int = 300, max_pages: int = 20) -> ScanReading:
    """Every PDF417 symbol's text on every page of `content` (PDF pages drawn at `dpi`).
    ScanError when the file is not a readable PDF, PNG or JPEG, has more than
    `max_pages` pages or a page of more than MAX_IMAGE_PIXELS pixels."""
    kind, count, page = _open(content, dpi=dpi, max_pages=max_pages)
    found: list[list[str]] = []
    for number in range(count):
        found.append(_union([], _read(page(number))))
    # Symbols sit on a form's last pages: try harder there first, and stop as soon as
    # every symbol of every set is in hand.
    for number in reversed(range(count)):
        if _complete([text for texts in found for text in texts]):
            break
        _read_harder(page(number), found, number)
    pages = tuple(
        PageReading(number=number + 1, texts=tuple(texts)) for number, texts in enumerate(found)
    )
    return ScanReading(kind=kind, pages=pages)


def page_images(content: bytes, *, dpi: int, max_pages: int) -> tuple[str, list[Gray]]:
    """The kind of file and its pages as grayscale images (PDF pages drawn at `dpi`);
    ScanError as `read_scan`."""
    kind, count, page = _open(content, dpi=dpi, max_pages=max_pages)
    return kind, [page(number) for number in range(count)]


# Opening the upload.


def _open(content: bytes, *, dpi: int, max_pages: int) -> tuple[str, int, Callable[[int], Gray]]:
    """The kind, the page count and a function drawing one page (from 0)."""
    if dpi <= 0 or max_pages <= 0:
        raise ValueError("dpi and max_pages must be positive")
    kind = sniff(content)
    if kind == "pdf":
        return kind, *_open_pdf(content, dpi=dpi, max_pages=max_pages)
    image = _decode_image(content)
    return kind, 1, lambda number: image


def _open_pdf(content: bytes, *, dpi: int, max_pages: int) -> tuple[int, Callable[[int], Gray]]:
    try:
        document = pypdfium2.PdfDocument(content)
    except (pypdfium2.PdfiumError, ValueError, OSError):
        raise ScanError("the PDF could not be opened") from None
    count = len(document)
    if count == 0:
        raise ScanError("the PDF has no pages")
    if count > max_pages:
        raise ScanError(f"the PDF has {count} pages; at most {max_pages} can be read")

    def draw(number: int) -> Gray:
        page = document[number]
        width, height = page.get_size()
        scale = dpi / _POINTS_PER_INCH
        if width * height * scale * scale > MAX_IMAGE_PIXELS:
            raise ScanError(f"page {number + 1} of the PDF is too large to read")
        try:
            bitmap = page.render(scale=scale, grayscale=True)
        except pypdfium2.PdfiumError:
            raise ScanError(f"page {number + 1} of the PDF could not be drawn") from None
        pixels = bitmap.to_numpy()
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        return np.ascontiguousarray(pixels, dtype=np.uint8)

    return count, draw


def _decode_image(content: bytes) -> Gray:
    """A PNG or JPEG as grayscale, refused by its header's size before any pixel is
    decoded; a phone's orientation tag is applied; transparency lies on white paper."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(io.BytesIO(content))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ScanError(
                    f"the image is too large to read ({width} x {height} pixels; "
                    f"at most {MAX_IMAGE_PIXELS:,} pixels)"
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                paper = Image.new("RGBA", image.size, "white")
                image = Image.alpha_composite(paper, image.convert("RGBA"))
            gray = image.convert("L")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ScanError("the image is too large to read") from None
        except (OSError, SyntaxError, ValueError) as error:
            if isinstance(error, ScanError):
                raise
            raise ScanError("the image is damaged or incomplete and could not be read") from None
    return np.asarray(gray, dtype=np.uint8)


# Reading a page.


def _read(
    image: Gray, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
) -> list[str]:
    """The texts zxing-cpp reads on `image` as it is."""
    found = zxingcpp.read_barcodes(
        np.ascontiguousarray(image),
        formats=_PDF417,
        try_rotate=True,
        try_downscale=True,
        binarizer=binarizer,
    )
    return [barcode.text for barcode in found if barcode.valid and barcode.text]


def _union(into: list[str], texts: list[str]) -> list[str]:
    for text in texts:
        if text not in into:
            into.append(text)
    return into


def _complete(texts: list[str]) -> bool:
    """Whether the texts hold every symbol of each PSG1 set they belong to (nothing is
    complete without one PSG1 symbol: there is no count to go by)."""
    sets: dict[tuple[str, int, str], set[int]] = {}
    for text in texts:
        try:
            symbol = read_symbol(text)
        except PayloadError:
            continue
        sets.setdefault((symbol.form, symbol.count, symbol.crc), set()).add(symbol.index)
    return bool(sets) and all(len(indexes) == count for (_, count, _), indexes in sets.items())


def _read_harder(image: Gray, found: list[list[str]], number: int) -> None:
    """Run the extra passes on one page, in order of cost, until the scan is complete."""
    for name, attempt in _passes(image):
        texts = attempt()
        new = [text for text in dict.fromkeys(texts) if text not in found[number]]
        if new:
            logger.debug("page %d: %s read %d more symbol(s)", number + 1, name, len(new))
            _union(found[number], new)
        if _complete([text for page in found for text in page]):
            return


def _passes(image: Gray) -> Iterator[tuple[str, Callable[[], list[str]]]]:
    """The extra passes over one page, each a name and a reading, cheapest first."""
    overview, factor = _overview(image)
    blocks = _dark_blocks(overview)
    angle = _skew(blocks)
    if abs(angle) > 0.3:
        yield f"deskew {angle:.1f} degrees", lambda: _read(_turn(image, angle))
    yield "other binarizer", lambda: _read(image, binarizer=zxingcpp.Binarizer.GlobalHistogram)
    yield "blocks", lambda: _read_blocks(image, blocks, factor)
    sheet = _sheet(overview)
    if sheet is not None:
        flat = _rectify(image, (sheet * factor).astype(np.float32))
        yield "perspective", lambda: _read(flat)
        yield "perspective blocks", lambda: _read_blocks_of(flat)
    yield "otsu", lambda: _read(_otsu(image))
    yield "adaptive", lambda: _read(_adaptive(image))
    if max(image.shape) <= _LOW_RESOLUTION:
        yield "upscale", lambda: _read(_sharpen(_enlarge(image)))
    for turns in (1, 2, 3):
        yield f"rotate {90 * turns}", lambda turns=turns: _read(np.rot90(image, turns))  # type: ignore[misc]


def _read_blocks_of(image: Gray) -> list[str]:
    overview, factor = _overview(image)
    return _read_blocks(image, _dark_blocks(overview), factor)


def _read_blocks(image: Gray, blocks: list[NDArray[np.float32]], factor: float) -> list[str]:
    """Each dark block cut out of the full page, straightened and read; then enlarged and
    sharpened, then thresholded, when it gives nothing."""
    texts: list[str] = []
    for quad in blocks:
        crop = _cut(image, quad * factor)
        for variant in (_identity, _enlarge_sharpen, _otsu):
            read = _read(variant(crop))
            if read:
                _union(texts, read)
                break
    return texts


# Geometry.


def _overview(image: Gray) -> tuple[Gray, float]:
    """A small copy of the page and the factor from its pixels back to the page's."""
    long_side = max(image.shape)
    if long_side <= _OVERVIEW:
        return image, 1.0
    factor = long_side / _OVERVIEW
    size = (round(image.shape[1] / factor), round(image.shape[0] / factor))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8), factor


def _dark_blocks(overview: Gray) -> list[NDArray[np.float32]]:
    """The outlines (four corners each, in overview pixels) of the dense dark blocks of
    the page, largest first: the symbols, and blocks of text."""
    ink = cv2.adaptiveThreshold(
        overview, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 51, 15
    )
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    solid = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, kernel)
    solid = cv2.morphologyEx(solid, cv2.MORPH_OPEN, kernel)
    # Every outline, inner ones too: a photographed sheet's dark surround rings the page
    # and would otherwise hide the blocks on it.
    contours, _ = cv2.findContours(solid, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    height, width = overview.shape
    smallest = 0.004 * height * width
    blocks: list[NDArray[np.float32]] = []
    mask = np.zeros_like(solid)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:24]:
        area = cv2.contourArea(contour)
        if area < smallest or len(blocks) == 8:
            break
        x, y, w, h = cv2.boundingRect(contour)
        if x <= 1 or y <= 1 or x + w >= width - 1 or y + h >= height - 1:
            continue  # the table around a photographed sheet, not ink on it
        (_, _), (side_a, side_b), _ = cv2.minAreaRect(contour)
        if area < 0.6 * side_a * side_b or max(side_a, side_b) > 8 * min(side_a, side_b):
            continue  # not a block: a frame, a line
        mask[y : y + h, x : x + w] = 0
        cv2.drawContours(mask, [contour], -1, 255, thickness=cv2.FILLED)
        inside = mask[y : y + h, x : x + w] > 0
        if np.count_nonzero(solid[y : y + h, x : x + w][inside]) < 0.8 * np.count_nonzero(inside):
            continue  # a ring (a sheet's edge, a hole), not a solid block
        if any(_same(contour, block) for block in blocks):
            continue
        blocks.append(_four_corners(contour))
    return blocks


def _same(contour: NDArray[Any], block: NDArray[np.float32]) -> bool:
    """Whether the contour's centre lies in a block already found (an inner outline)."""
    moments = cv2.moments(contour)
    if moments["m00"] == 0:
        return True
    centre = (moments["m10"] / moments["m00"], moments["m01"] / moments["m00"])
    return cv2.pointPolygonTest(block.reshape(-1, 1, 2), centre, False) >= 0


def _four_corners(contour: NDArray[Any]) -> NDArray[np.float32]:
    """The contour's four corners, as a quadrilateral that follows perspective when the
    outline has four clear corners, else its smallest enclosing rectangle."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for share in (0.02, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            return _order(approx.reshape(4, 2).astype(np.float32))
    return _order(cv2.boxPoints(cv2.minAreaRect(contour)).astype(np.float32))


def _order(points: NDArray[np.float32]) -> NDArray[np.float32]:
    """Corners in the order top-left, top-right, bottom-right, bottom-left."""
    total = points.sum(axis=1)
    difference = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(total)],
            points[np.argmin(difference)],
            points[np.argmax(total)],
            points[np.argmax(difference)],
        ],
        dtype=np.float32,
    )


def _skew(blocks: list[NDArray[np.float32]]) -> float:
    """The page's tilt in degrees (counter-clockwise positive), from its largest blocks'
    edges; 0 when there is none."""
    angles = []
    for quad in blocks[:4]:
        top = quad[1] - quad[0]
        angles.append(float(np.degrees(np.arctan2(-top[1], top[0]))))
    return float(np.median(angles)) if angles else 0.0


def _turn(image: Gray, degrees: float) -> Gray:
    """The page turned by `degrees` (clockwise for positive), on white, keeping every
    corner."""
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(height * sin + width * cos) + 1, int(height * cos + width * sin) + 1)
    matrix[0, 2] += size[0] / 2 - width / 2
    matrix[1, 2] += size[1] / 2 - height / 2
    turned = cv2.warpAffine(image, matrix, size, flags=cv2.INTER_LINEAR, borderValue=_paper(image))
    return np.asarray(turned, dtype=np.uint8)


def _cut(image: Gray, quad: NDArray[np.float32]) -> Gray:
    """The quadrilateral `quad` of the page, grown a little for the quiet zone, warped
    to an upright rectangle."""
    centre = quad.mean(axis=0)
    return _rectify(image, (centre + (quad - centre) * 1.06).astype(np.float32))


def _rectify(image: Gray, corners: NDArray[np.float32]) -> Gray:
    """The quadrilateral `corners` (top-left first, clockwise) warped to an upright
    rectangle the size of its longest edges, on the page's paper grey."""
    top_left, top_right, bottom_right, bottom_left = corners
    width = max(
        int(max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))),
        1,
    )
    height = max(
        int(max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))),
        1,
    )
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=_paper(image)
    )
    return np.asarray(flat, dtype=np.uint8)


def _sheet(overview: Gray) -> NDArray[np.float32] | None:
    """The four corners of a bright sheet lying on a darker surround (a phone photo), in
    overview pixels; None when the page fills the image."""
    blurred = cv2.GaussianBlur(overview, (5, 5), 0)
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15))
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    largest = max(contours, key=cv2.contourArea)
    area, whole = cv2.contourArea(largest), overview.shape[0] * overview.shape[1]
    if not 0.2 * whole < area < 0.97 * whole:
        return None
    return _four_corners(largest)


# Pixels.


def _paper(image: Gray) -> int:
    """The paper's grey: the page's brightest common level."""
    return int(np.percentile(image[::8, ::8], 90))


def _identity(image: Gray) -> Gray:
    return image


def _otsu(image: Gray) -> Gray:
    _, black_white = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(black_white, dtype=np.uint8)


def _adaptive(image: Gray) -> Gray:
    black_white = cv2.adaptiveThreshold(
        image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 41, 10
    )
    return np.asarray(black_white, dtype=np.uint8)


def _enlarge(image: Gray) -> Gray:
    bigger = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return np.asarray(bigger, dtype=np.uint8)


def _sharpen(image: Gray) -> Gray:
    soft = cv2.GaussianBlur(image, (0, 0), 2.0)
    return np.asarray(cv2.addWeighted(image, 1.6, soft, -0.6, 0), dtype=np.uint8)


def _enlarge_sharpen(image: Gray) -> Gray:
    return _sharpen(_enlarge(image))
