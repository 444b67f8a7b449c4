"""What is measured on a photo, given the face found: the head's height and place, the
background above and beside it, the face's sharpness and exposure. Every measure is taken
on a grey copy WORK_HEIGHT pixels high, so that the limits do not depend on resolution."""

from dataclasses import dataclass

import cv2
import numpy as np

from passage.photos.face import Box
from passage.photos.limits import PhotoLimits

WORK_HEIGHT = 700
# The head's sides from the face box's centre, in box widths: hair reaches about 0.75 of
# them on the labelled set; the rest is a margin for the box's own error.
HEAD_HALF_WIDTH = 0.9
# The background band ends this share of the height above the estimated crown: the
# estimate is within about 2% of the height, and hair stands a little above the crown.
CROWN_MARGIN = 0.04
SHARPNESS_SIDE = 128  # pixels: the face box is resized to this square to measure focus
EVEN_MEAN = 128  # the face's mean luma when its focus is measured
CANNY_THRESHOLDS = (50, 150)  # on 0-255 luma, in the 1:3 ratio Canny recommended
SHADOW, HIGHLIGHT = 2, 253  # luma at or beyond which a pixel is clipped
MIN_BAND_SHARE = 0.01  # of the picture: a smaller band is too little to judge


@dataclass(frozen=True)
class Head:
    """The head's estimated extent, in the working copy's pixels."""

    crown: float
    chin: float
    left: float
    right: float

    @property
    def height(self) -> float:
        """Chin to crown."""
        return self.chin - self.crown


@dataclass(frozen=True)
class Background:
    """The band's mean luma (0 to 255), its standard deviation, and the percentage of its
    pixels on an edge."""

    luminance: float
    spread: float
    edges_percent: float


def working_grey(rgb: np.ndarray) -> np.ndarray:
    """The picture's luma (ITU-R BT.601, 0 to 255), resized to WORK_HEIGHT pixels high."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    height, width = grey.shape
    scale = WORK_HEIGHT / height
    size = (max(1, round(width * scale)), WORK_HEIGHT)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(grey, size, interpolation=interpolation)


def head_of(face: Box, limits: PhotoLimits) -> Head:
    """The head around `face`: the chin a little below the box, the crown the calibrated
    height above the chin, the sides HEAD_HALF_WIDTH box widths from its centre."""
    chin = face.bottom + limits.chin_below_face_box * face.height
    half = HEAD_HALF_WIDTH * face.width
    return Head(
        crown=chin - limits.head_from_face_box * face.height,
        chin=chin,
        left=face.centre_x - half,
        right=face.centre_x + half,
    )


def expected_face(width: int, height: int, limits: PhotoLimits) -> Box:
    """Where a face of the middle allowed height would be, centred with a tenth of the
    height above the crown: the place measured when no face is found."""
    head = sum(limits.head_height_percent) / 2 / 100 * height
    side = head / limits.head_from_face_box
    bottom = 0.1 * height + head - limits.chin_below_face_box * side
    return Box((width - side) / 2, bottom - side, side, side)


def head_height_percent(head: Head, height: int) -> float:
    """Chin to crown, as a percentage of the picture's height."""
    return 100 * head.height / height


def centre_offset_percent(face: Box, width: int) -> float:
    """How far the face's centre is from the picture's middle, as a percentage of its
    width: positive to the right."""
    return 100 * (face.centre_x - width / 2) / width


def background(grey: np.ndarray, head: Head) -> Background | None:
    """The band above the head and beside it down to the eyes' level, or None when the
    head leaves too little of it to judge."""
    height, width = grey.shape
    band = np.zeros(grey.shape, dtype=bool)
    top_end = int(head.crown - CROWN_MARGIN * height)
    if top_end > 0:
        band[:top_end, :] = True
    side_top, side_end = max(0, int(head.crown)), int(head.crown + 0.6 * head.height)
    if side_end > side_top:
        band[side_top:side_end, : max(0, int(head.left))] = True
        band[side_top:side_end, min(width, int(np.ceil(head.right))) :] = True
    if band.sum() < MIN_BAND_SHARE * band.size:
        return None
    values = grey[band]
    edges = cv2.Canny(grey, *CANNY_THRESHOLDS)[band]
    return Background(
        luminance=float(values.mean()),
        spread=float(values.std()),
        edges_percent=float(100 * np.count_nonzero(edges) / edges.size),
    )


def sharpness(grey: np.ndarray, face: Box) -> float:
    """The variance of the Laplacian of the face, its box resized to SHARPNESS_SIDE
    pixels square and its brightness evened to a mean of EVEN_MEAN, so that a dim photo
    is not also called blurry (the Laplacian grows with contrast)."""
    crop = _inside(grey, face, 0, 1, 0, 1)
    mean = float(crop.mean()) if crop.size else 0.0
    if mean < 1:
        return 0.0
    scale = SHARPNESS_SIDE / max(crop.shape)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    square = cv2.resize(crop, (SHARPNESS_SIDE, SHARPNESS_SIDE), interpolation=interpolation)
    evened = square.astype(np.float64) * (EVEN_MEAN / mean)
    return float(cv2.Laplacian(evened, cv2.CV_64F).var())


def face_luminance(grey: np.ndarray, face: Box) -> float:
    """The mean luma of the middle of the face (`_middle`)."""
    middle = _middle(grey, face)
    return float(middle.mean()) if middle.size else 0.0


def clipped_percent(grey: np.ndarray, face: Box) -> tuple[float, float]:
    """The percentages of the middle of the face's pixels clipped black and clipped
    white."""
    crop = _middle(grey, face)
    if crop.size == 0:
        return 0.0, 0.0
    return (
        float(100 * np.count_nonzero(crop <= SHADOW) / crop.size),
        float(100 * np.count_nonzero(crop >= HIGHLIGHT) / crop.size),
    )


def _middle(grey: np.ndarray, face: Box) -> np.ndarray:
    """The face box less its sides and its top edge, where hair, collar and background
    can show: skin, eyes and mouth."""
    return _inside(grey, face, 0.2, 0.8, 0.15, 0.95)


def _inside(
    grey: np.ndarray, face: Box, left: float, right: float, top: float, bottom: float
) -> np.ndarray:
    """The part of the box between those shares of its width and height, within the
    picture."""
    height, width = grey.shape
    x0 = max(0, int(face.left + left * face.width))
    x1 = min(width, int(face.left + right * face.width))
    y0 = max(0, int(face.top + top * face.height))
    y1 = min(height, int(face.top + bottom * face.height))
    return grey[y0:y1, x0:x1]
