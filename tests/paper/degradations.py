"""What happens to a printed page on its way back: blur, sensor noise, JPEG, a tilted or
turned sheet, a phone photo at an angle, a low-resolution scanner. Each function takes a
grayscale page (a 2-D uint8 array, white paper, black ink) and returns a new one; none
changes its input. Deterministic: the same call gives the same pixels."""

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

from tests.paper import scans

Image = NDArray[np.uint8]

PAPER = 255


def blur(img: Image, sigma: float) -> Image:
    """An out-of-focus scan or photo: a Gaussian blur of `sigma` pixels."""
    return np.asarray(cv2.GaussianBlur(img, (0, 0), sigmaX=sigma), dtype=np.uint8)


def noise(img: Image, sd: float, *, seed: int = 0) -> Image:
    """Sensor noise: Gaussian noise of standard deviation `sd` grey levels."""
    grain = np.random.default_rng(seed).normal(0.0, sd, img.shape)
    return np.clip(img.astype(np.float64) + grain, 0, 255).astype(np.uint8)


def jpeg(img: Image, quality: int) -> Image:
    """The page saved as a JPEG of `quality` (1 to 100) and opened again."""
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)


def rotate(img: Image, degrees: float) -> Image:
    """The sheet turned `degrees` counter-clockwise on the glass; the canvas grows to keep
    every corner and the uncovered area is white, as a flatbed scanner's lid."""
    if degrees % 90 == 0:
        return np.ascontiguousarray(np.rot90(img, int(degrees // 90) % 4))
    height, width = img.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    new_width, new_height = int(height * sin + width * cos), int(height * cos + width * sin)
    turn[0, 2] += new_width / 2 - width / 2
    turn[1, 2] += new_height / 2 - height / 2
    turned = cv2.warpAffine(
        img,
        turn,
        (new_width, new_height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=PAPER,
    )
    return np.asarray(turned, dtype=np.uint8)


def perspective(img: Image, *, background: int = 70, strength: float = 0.08) -> Image:
    """A phone photo of the page lying on a darker table: the sheet seen from an angle
    (its far edge narrower by about `strength` of the width on each side), a little
    turned, with uneven light, on a `background` grey surround. The photo keeps the
    page's size, so the page covers roughly four-fifths of it."""
    height, width = img.shape
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    margin_x, margin_y = 0.10 * width, 0.08 * height
    squeeze = strength * width
    seen = np.float32(
        [
            [margin_x + squeeze, margin_y + 0.02 * height],
            [width - margin_x - squeeze * 0.7, margin_y],
            [width - margin_x + 0.01 * width, height - margin_y],
            [margin_x - 0.01 * width, height - margin_y - 0.015 * height],
        ]
    )
    warp = cv2.getPerspectiveTransform(corners, seen)
    photo = cv2.warpPerspective(
        img,
        warp,
        (width, height),
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=background,
    )
    # Light falls off across the frame, away from the window.
    light = np.linspace(1.0, 0.82, width, dtype=np.float64)[np.newaxis, :]
    return np.clip(photo.astype(np.float64) * light, 0, 255).astype(np.uint8)


def at_dpi(img: Image, dpi: int, *, made_at: int = 300) -> Image:
    """The page as a scanner set to `dpi` would see it, from a page drawn at `made_at`."""
    if dpi == made_at:
        return img.copy()
    height, width = img.shape
    size = (round(width * dpi / made_at), round(height * dpi / made_at))
    method = cv2.INTER_AREA if dpi < made_at else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(img, size, interpolation=method), dtype=np.uint8)


# Each degradation as an upload brings it: a page scanned at `dpi`, degraded, and saved
# as the file a scanner or a phone sends. A blur of the same width on paper (about
# 0.17 mm) is twice the pixels at 300 dpi. The round-trip tests and the benchmark share it.
Upload = Callable[[Image, int], bytes]
UPLOADS: dict[str, Upload] = {
    "clean": lambda page, dpi: scans.png_bytes(page),
    "blurred": lambda page, dpi: scans.png_bytes(blur(page, dpi / 150)),
    "noisy": lambda page, dpi: scans.png_bytes(noise(page, 25)),
    "a JPEG of quality 30": lambda page, dpi: scans.jpeg_bytes(page, quality=30),
    "tilted 3 degrees": lambda page, dpi: scans.png_bytes(rotate(page, 3)),
    "tilted 10 degrees": lambda page, dpi: scans.png_bytes(rotate(page, -10)),
    "turned a quarter": lambda page, dpi: scans.png_bytes(rotate(page, 90)),
    "a phone photo at an angle": lambda page, dpi: scans.jpeg_bytes(perspective(page)),
}
