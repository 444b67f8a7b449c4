"""The upload as a file: its type by its first bytes, its size in pixels from its header
before anything is decoded, the picture decoded upright, and the plain JPEG copy."""

from dataclasses import dataclass
from io import BytesIO

import numpy as np
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin

# Image.open would refuse a decompression bomb before telling its size (and warn below
# that): the format's own reader parses the header alone, and the size is then held to
# our limits before anything is decoded.
READERS = {"JPEG": JpegImagePlugin.JpegImageFile, "PNG": PngImagePlugin.PngImageFile}
SIGNATURES = {"JPEG": b"\xff\xd8\xff", "PNG": b"\x89PNG\r\n\x1a\n"}
ORIENTATION = 0x0112  # the EXIF tag
TURNED = (5, 6, 7, 8)  # the orientations that swap width and height
NORMALISED_QUALITY = 92


class Unreadable(Exception):
    """The file's first bytes name a format, but no picture can be read from it."""


@dataclass(frozen=True)
class Header:
    """An image opened but not decoded, with its size as stored."""

    image: Image.Image
    width: int
    height: int


def sniff_format(data: bytes) -> str | None:
    """The format the file's signature names, JPEG or PNG, or None for anything else."""
    for name, signature in SIGNATURES.items():
        if data.startswith(signature):
            return name
    return None


def read_header(data: bytes, image_format: str) -> Header:
    """Open the image as `image_format` and read its size, decoding no pixel. Raises
    Unreadable."""
    try:
        image = READERS[image_format](BytesIO(data))
        width, height = image.size
    except Exception:  # a hostile header can make a parser raise anything
        raise Unreadable from None
    return Header(image, width, height)


def upright_size(header: Header) -> tuple[int, int]:
    """The width and height once turned as the EXIF orientation says. Call it only
    within the pixel budget: a PNG may keep its EXIF after the pixels, and Pillow then
    decodes them all to reach it. Raises Unreadable."""
    try:
        orientation = header.image.getexif().get(ORIENTATION, 1)
    except Exception:  # a damaged file can make a decoder raise anything
        raise Unreadable from None
    if orientation in TURNED:
        return header.height, header.width
    return header.width, header.height


def decode_upright(header: Header) -> Image.Image:
    """Every pixel decoded, turned as its EXIF orientation says, in 8-bit RGB; what is
    transparent shows as white, as it would on paper. Raises Unreadable (a truncated or
    damaged file)."""
    try:
        header.image.load()
        image = ImageOps.exif_transpose(header.image)
        return _as_rgb(image)
    except Exception:  # a damaged file can make a decoder raise anything
        raise Unreadable from None


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode.startswith(("I", "F")):
        # 16-bit and floating-point greys: Pillow's own conversion would clip them at 255.
        values = np.asarray(image, dtype=np.float64)
        if values.max(initial=0) > 255:
            values = values / 257
        image = Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    return image.convert("RGB")


def normalised_jpeg(image: Image.Image) -> bytes:
    """The upright RGB picture as a baseline JPEG of quality 92 with no metadata: no EXIF
    (no place, no camera), no ICC profile, no comment."""
    plain = Image.frombytes("RGB", image.size, image.tobytes())  # nothing of `info` carried
    out = BytesIO()
    plain.save(out, format="JPEG", quality=NORMALISED_QUALITY, progressive=False)
    return out.getvalue()
