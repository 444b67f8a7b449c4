"""Frontal faces in a grey picture, found by the LBP frontal-face cascade of OpenCV that
scikit-image ships (with its own detector: OpenCV 5 no longer has cascade classifiers),
so that nothing is downloaded and the same file gives the same answer everywhere."""

import threading
from dataclasses import dataclass
from statistics import fmean

import cv2
import numpy as np
from skimage.data import lbp_frontal_face_cascade_filename
from skimage.feature import Cascade

# The search runs on a copy this many pixels high: the face box of a photo framed as
# allowed is about 100 pixels there, well above the cascade's 24-pixel window, and one
# search takes some 25 ms.
SEARCH_HEIGHT = 320
SCALE_STEP = 1.1
# One face box is the mean of the boxes found on copies of the face at these scales of
# the search copy: the box found at one scale varies by about 7% of its height, the mean
# of three by about 4%, which the head's measure needs.
REFINING_SCALES = (1.0, 1.032, 1.065)
REFINING_MARGIN = 0.6  # of the box, kept around the face in the refining copies
WINDOW = 24  # the cascade's own window, in pixels

_local = threading.local()


@dataclass(frozen=True)
class Box:
    """A face's box in the picture's pixels: from about the forehead to just above the
    chin, and from cheek to cheek."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre_x(self) -> float:
        return self.left + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.top + self.height / 2

    def holds(self, x: float, y: float) -> bool:
        """Whether the point (x, y) is inside the box."""
        return self.left <= x <= self.left + self.width and self.top <= y <= self.bottom

    def scaled(self, factor: float) -> "Box":
        """The same box in a copy of the picture `factor` times the size."""
        return Box(self.left * factor, self.top * factor, self.width * factor, self.height * factor)


def find_faces(grey: np.ndarray, min_size: float, min_neighbours: int) -> tuple[Box, ...]:
    """The faces in `grey` (2-D, 0 to 255), largest first: only boxes of at least
    `min_size` of the picture's height, each where at least `min_neighbours` windows of
    the detector agree."""
    scale = SEARCH_HEIGHT / grey.shape[0]
    small = _resized(grey, scale)
    smallest = max(WINDOW, round(min_size * SEARCH_HEIGHT))
    found = _search(small, smallest, min(small.shape), min_neighbours)
    faces = _one_box_a_face(found)
    return tuple(_refined(grey, face.scaled(1 / scale), min_neighbours) for face in faces)


def _refined(grey: np.ndarray, face: Box, min_neighbours: int) -> Box:
    """The mean of the boxes found around `face` on copies at slightly different scales."""
    height, width = grey.shape
    margin = REFINING_MARGIN * face.width
    left, top = max(0, int(face.left - margin)), max(0, int(face.top - margin))
    right = min(width, int(face.left + face.width + margin) + 1)
    bottom = min(height, int(face.bottom + margin) + 1)
    crop = grey[top:bottom, left:right]
    boxes = []
    for step in REFINING_SCALES:
        scale = step * SEARCH_HEIGHT / height
        small = _resized(crop, scale)
        size = face.height * scale
        found = _search(small, max(WINDOW, round(size / 1.25)), round(size * 1.25), min_neighbours)
        centre = (face.centre_x - left) * scale, (face.centre_y - top) * scale
        near = [box for box in found if box.holds(*centre)]
        if near:
            best = max(near, key=lambda box: box.width)
            boxes.append(best.scaled(1 / scale))
    if not boxes:
        return face
    return Box(
        left + fmean(box.left for box in boxes),
        top + fmean(box.top for box in boxes),
        fmean(box.width for box in boxes),
        fmean(box.height for box in boxes),
    )


def _search(small: np.ndarray, smallest: int, largest: int, min_neighbours: int) -> list[Box]:
    if largest < smallest:
        return []
    found = _cascade().detect_multi_scale(
        img=small,
        scale_factor=SCALE_STEP,
        step_ratio=1,
        min_size=(smallest, smallest),
        max_size=(largest, largest),
        min_neighbor_number=min_neighbours,
    )
    return [Box(box["c"], box["r"], box["width"], box["height"]) for box in found]


def _one_box_a_face(found: list[Box]) -> list[Box]:
    """The cascade can leave a smaller box inside a face's box: a box whose centre lies in
    a larger one is the same face."""
    kept: list[Box] = []
    for box in sorted(found, key=lambda box: -box.width):
        if not any(other.holds(box.centre_x, box.centre_y) for other in kept):
            kept.append(box)
    return kept


def _resized(grey: np.ndarray, scale: float) -> np.ndarray:
    height, width = grey.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    resized = cv2.resize(grey, size, interpolation=interpolation)
    return np.ascontiguousarray(resized, dtype=np.float32) / 255


def _cascade() -> Cascade:
    # Nothing documents the compiled detector as safe to share between threads: one each.
    cascade = getattr(_local, "cascade", None)
    if cascade is None:
        cascade = _local.cascade = Cascade(lbp_frontal_face_cascade_filename())
    return cascade
