"""What an uploaded file must be beyond its first bytes, so that it is only what it claims.

- No file may hold, in its first KB, markup a browser could sniff as a web page or SVG
  (a polyglot: a PDF or image that is also HTML).
- An image must decode with Pillow, within a pixel budget checked from its header before
  any decoding, as the format its signature names, with nothing after its end but padding.
- A PDF must parse with pypdf, strictly and within limits, have pages but not too many, be
  unencrypted, and carry no scripts, launch actions, embedded files, rich media or XFA.
  Only the catalogue and the objects it reaches are walked: content streams, where PDF
  decompression bombs live, are never decoded.
"""

import re
from collections.abc import Iterator
from io import BytesIO

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import Configuration, PdfReader, apply_configuration
from pypdf.errors import DependencyError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    TextStringObject,
)

from passage.intake.models import Document

PDF = Document.ContentType.PDF.value
JPEG = Document.ContentType.JPEG.value
PNG = Document.ContentType.PNG.value

MARKUP_WINDOW = 1024
MAX_PDF_PAGES = 2_000
MAX_JPEG_PICTURES = 4
# Measured on a 2-core host: pypdf parses about 20,000 objects a second and walks about
# 250,000 nested arrays a second, so a hostile file stops within a few seconds.
MAX_PDF_OBJECTS = 100_000
MAX_PDF_NODES = 500_000
# Object and cross-reference streams are decoded to reach the catalogue; nothing else is.
_PDF_LIMITS = Configuration(
    zlib_maximum_output_length=32_000_000,
    lzw_maximum_output_length=32_000_000,
    run_length_maximum_output_length=32_000_000,
    brotli_maximum_output_length=32_000_000,
    array_based_stream_maximum_output_length=32_000_000,
)

# The WHATWG MIME Sniffing Standard's HTML patterns ("rules for identifying an unknown MIME
# type"), its "<?xml", and "<svg", anywhere in the window rather than only at the start (as
# older sniffers did). Its one-letter tags ("<a", "<b", "<p") are left out: matched anywhere,
# they turn up by chance in about one KB of random (compressed) bytes in 1,300.
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|style|title|table|font|div|h1|br|svg)"
    rb"[\s/>]|<!--|<\?xml",
    re.IGNORECASE,
)

# Names that make a PDF run something or carry other files, as a key or as a value.
_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/FileAttachment",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaExecute",
        "/XFA",
    }
)

_PILLOW_FORMATS = {JPEG: ("JPEG", {"JPEG", "MPO"}), PNG: ("PNG", {"PNG"})}
_PADDING = b"\x00\xff"
_PDF_TRAILING = b"\x00\t\n\f\r "


class _TooComplex(Exception):
    """The PDF has more objects than MAX_PDF_OBJECTS or MAX_PDF_NODES allow."""


def structure_problem(content: bytes, content_type: str) -> str | None:
    """None when the file is the PDF, JPEG or PNG its signature says and nothing more; else
    a sentence, in the person's language, saying what is wrong with it."""
    if _MARKUP.search(content[:MARKUP_WINDOW]):
        return str(_("The file contains web page code, which is not accepted."))
    if content_type == PDF:
        return _pdf_problem(content)
    return _image_problem(content, content_type)


# -- Images ----------------------------------------------------------------------------


def _image_problem(content: bytes, content_type: str) -> str | None:
    pictures = _jpeg_pictures(content) if content_type == JPEG else _png_picture(content)
    if pictures is None:
        return _damaged_image()
    for start, end in pictures:
        if (problem := _decode_problem(content[start:end], content_type)) is not None:
            return problem
    tail = content[pictures[-1][1] :]
    if content_type == JPEG:
        tail = tail.strip(_PADDING)  # some cameras pad their files after the picture
    return _extra_data() if tail else None


def _decode_problem(picture: bytes, content_type: str) -> str | None:
    """Open lazily, check the pixel budget from the header, then decode every pixel."""
    opener, formats = _PILLOW_FORMATS[content_type]
    try:
        with Image.open(BytesIO(picture), formats=[opener]) as image:
            if image.format not in formats:
                return _damaged_image()
            width, height = image.size
            if width * height > settings.PASSAGE_MAX_IMAGE_PIXELS:
                return _too_many_pixels()
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own ceiling (a warning, then an error at twice it), met before ours when
        # PASSAGE_MAX_IMAGE_PIXELS is set above it.
        return _too_many_pixels()
    except Exception:  # a hostile file can make a decoder raise anything
        return _damaged_image()
    return None


def _too_many_pixels() -> str:
    megapixels = round(settings.PASSAGE_MAX_IMAGE_PIXELS / 1_000_000, 1)
    limit = number_format(int(megapixels) if megapixels.is_integer() else megapixels)
    return str(_("The image is too large: %(limit)s megapixels at most.") % {"limit": limit})


def _damaged_image() -> str:
    return str(_("The image file is damaged or incomplete."))


def _extra_data() -> str:
    return str(
        _(
            "The file has extra data after its end, which is not accepted. "
            "Save it again and upload the new copy."
        )
    )


def _png_picture(content: bytes) -> list[tuple[int, int]] | None:
    """The span from the signature to the end of the IEND chunk, or None if there is none."""
    position = 8
    while position + 12 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return [(0, position)] if position <= len(content) else None
    return None


def _jpeg_pictures(content: bytes) -> list[tuple[int, int]] | None:
    """The span of the JPEG picture that starts the file, then of each further picture
    that follows it when it holds a multi-picture index (MPF: a phone camera's gain map
    or depth map), or None."""
    found = _jpeg_span(content, 0)
    if found is None:
        return None
    end, has_index = found
    pictures = [(0, end)]
    while has_index and len(pictures) < MAX_JPEG_PICTURES:
        rest = content[end:].lstrip(_PADDING)
        # The padding stripped may have taken the 0xFF of the next picture's SOI marker.
        start = len(content) - len(rest) - (1 if rest[:1] == b"\xd8" else 0)
        following = _jpeg_span(content, start)
        if following is None:
            break
        end = following[0]
        pictures.append((start, end))
    return pictures


def _jpeg_span(content: bytes, start: int) -> tuple[int, bool] | None:
    """Where the JPEG picture at `start` ends (past its EOI marker), and whether it holds a
    multi-picture index; None if it does not start with SOI or never reaches EOI."""
    if content[start : start + 2] != b"\xff\xd8":
        return None
    position, has_index = start + 2, False
    for marker, segment in _jpeg_markers(content, position):
        if marker == 0xD9:
            return segment, has_index
        has_index = has_index or (
            marker == 0xE2 and content[segment + 2 : segment + 6] == b"MPF\x00"
        )
    return None


def _jpeg_markers(content: bytes, position: int) -> Iterator[tuple[int, int]]:
    """Each marker with where its segment starts (past EOI for EOI), skipping the
    entropy-coded data after each start of scan, as decoders read it."""
    size = len(content)
    while position < size:
        if content[position] != 0xFF:
            position += 1  # stray bytes between segments, which decoders skip too
            continue
        while position < size and content[position] == 0xFF:
            position += 1  # fill bytes
        if position >= size:
            return
        marker = content[position]
        position += 1
        if marker == 0xD9:
            yield marker, position
            return
        if marker == 0x00 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # no segment follows
        yield marker, position
        length = int.from_bytes(content[position : position + 2], "big")
        if length < 2:
            return
        position += length
        if marker == 0xDA:
            position = _after_scan(content, position)


def _after_scan(content: bytes, position: int) -> int:
    """The first marker after entropy-coded data: an 0xFF not followed by a stuffed zero
    or a restart marker."""
    while (position := content.find(b"\xff", position)) != -1:
        following = content[position + 1 : position + 2]
        if following and (following[0] == 0x00 or 0xD0 <= following[0] <= 0xD7):
            position += 2
            continue
        return position
    return len(content)


# -- PDF -------------------------------------------------------------------------------


def _pdf_problem(content: bytes) -> str | None:
    damaged = str(_("The PDF file is damaged or incomplete."))
    end = content.rfind(b"%%EOF")
    if end == -1:
        return damaged
    if content[end + 5 :].strip(_PDF_TRAILING):
        return _extra_data()
    try:
        with apply_configuration(_PDF_LIMITS):
            return _parsed_pdf_problem(content)
    except _TooComplex:
        return str(
            _(
                "The PDF is too complex to be checked. Save or print it as a new PDF "
                "and upload that copy."
            )
        )
    except Exception:  # a hostile file can make the parser raise anything
        return damaged


def _parsed_pdf_problem(content: bytes) -> str | None:
    # Strict: a lenient parse repairs broken files its own way (it keeps the first of two
    # /OpenAction keys, returns half a dictionary that fails to parse, rebuilds a broken
    # cross-reference table), so it may see other objects than the reader's viewer would.
    encrypted = str(
        _("The PDF is protected by a password or encryption. Upload a copy without protection.")
    )
    try:
        reader = PdfReader(
            BytesIO(content), strict=True, xref_stream_maximum_entries=MAX_PDF_OBJECTS
        )
    except DependencyError:
        # Checking an AES password needs a cryptography package, which is not installed:
        # nothing else in reading the cross-reference tables and the trailer does.
        return encrypted
    if reader.is_encrypted:
        return encrypted
    root = reader.trailer["/Root"].get_object()
    if not isinstance(root, DictionaryObject) or root.get("/Type") != "/Catalog":
        return str(_("The PDF file is damaged or incomplete."))
    if _has_active_content(root):
        return str(_("The PDF contains scripts or embedded files, which are not accepted."))
    # After the walk, which bounds the objects read: the page tree is among them.
    pages = _page_count(root)
    if pages == 0:
        return str(_("The PDF has no pages."))
    if pages > MAX_PDF_PAGES:
        return str(
            _("The PDF has more than %(limit)s pages.")
            % {"limit": number_format(MAX_PDF_PAGES, force_grouping=True)}
        )
    return None


def _has_active_content(root: DictionaryObject) -> bool:
    """Whether any object the catalogue reaches names a script, a launch action, an
    embedded file, rich media or an XFA form, or links to a javascript: address."""
    for node in _walk(root):
        if not isinstance(node, DictionaryObject):
            continue
        for key, value in node.items():
            if key in _ACTIVE_NAMES or (isinstance(value, NameObject) and value in _ACTIVE_NAMES):
                return True
            if key == "/URI" and _is_script_address(value):
                return True
    return False


def _walk(root: DictionaryObject) -> Iterator[PdfObject | None]:
    """Every array and dictionary reachable from `root`, each indirect object once; stream
    dictionaries are read, their data is not."""
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [root]
    nodes = 0
    while stack:
        found = stack.pop()
        if isinstance(found, IndirectObject):
            if (found.idnum, found.generation) in seen:
                continue
            seen.add((found.idnum, found.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise _TooComplex
        node = _resolved(found)
        nodes += 1
        if nodes > MAX_PDF_NODES:
            raise _TooComplex
        yield node
        if isinstance(node, DictionaryObject):
            stack.extend(value for value in node.values() if _is_container(value))
        elif isinstance(node, ArrayObject):
            stack.extend(item for item in node if _is_container(item))


def _is_container(value: PdfObject) -> bool:
    return isinstance(value, DictionaryObject | ArrayObject | IndirectObject)


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_script_address(found: PdfObject) -> bool:
    value = _resolved(found)
    if isinstance(value, TextStringObject):
        address = str(value)
    elif isinstance(value, ByteStringObject):
        address = bytes(value).decode("latin-1")
    else:
        return False
    # Browsers drop control characters and spaces from an address: "java\tscript:" runs.
    return re.sub(r"[\x00-\x20]", "", address).lower().startswith("javascript:")


def _page_count(root: DictionaryObject) -> int:
    """The pages a viewer would show, counted up to one past MAX_PDF_PAGES: each reference to
    a page counts, as it is shown again, and each node of the tree is read once, so a loop
    in the tree ends. The declared /Count is not trusted."""
    pages = 0
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject | None] = [root.get("/Pages")]
    while stack and pages <= MAX_PDF_PAGES:
        found = stack.pop()
        reference = found if isinstance(found, IndirectObject) else None
        node = _resolved(found)
        if not isinstance(node, DictionaryObject):
            continue
        kind = node.get("/Type")
        if kind == "/Page":
            pages += 1
        elif kind == "/Pages":
            if reference is not None:
                if (reference.idnum, reference.generation) in seen:
                    continue
                seen.add((reference.idnum, reference.generation))
            kids = _resolved(node.get("/Kids"))
            if isinstance(kids, ArrayObject):
                stack.extend(kids)
    return pages
