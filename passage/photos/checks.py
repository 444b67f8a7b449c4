"""`check_photo`: a PR card photo judged against the limits, every failure explained by a
code, the value measured and the range allowed.

The codes, in the order failures are given (the most basic first), each with what it
measures (`Finding.measure`) and in what unit:

- not_an_image: format (nothing measured): not JPEG or PNG by its first bytes, or not
  decodable;
- file_too_large, file_too_small: file_bytes, in bytes;
- too_few_pixels, too_many_pixels: width_px and height_px, in pixels, the picture upright;
- wrong_shape: aspect_ratio, the width over the height;
- no_face, several_faces: faces, how many were found;
- head_too_small, head_too_large: head_height_percent, chin to crown in % of the height;
- off_centre: centre_offset_percent, the face's centre from the middle in % of the width,
  positive to the right;
- background_not_plain: background_luminance (mean luma, 0 to 255), background_spread
  (its standard deviation) and background_edges_percent (% of the band's pixels on an
  edge), in the band above and beside the head;
- blurry: sharpness, the variance of the face's Laplacian, its brightness evened;
- too_dark: face_luminance (mean luma of the middle of the face, 0 to 255) and
  shadows_clipped_percent (% of its pixels clipped black);
- too_bright: face_luminance and highlights_clipped_percent (% clipped white).

A failure of the file itself (not an image, its bytes or pixels out of limits) ends the
check there. With no face or several, the head's measures are left out; the background,
sharpness and exposure are measured where a face was expected, or on the largest face.
"""

from dataclasses import dataclass

import numpy as np

from passage.photos import measures
from passage.photos.decoding import (
    Unreadable,
    decode_upright,
    normalised_jpeg,
    read_header,
    sniff_format,
    upright_size,
)
from passage.photos.face import find_faces
from passage.photos.limits import PhotoLimits

CODES = (
    "not_an_image",
    "file_too_large",
    "file_too_small",
    "too_few_pixels",
    "too_many_pixels",
    "wrong_shape",
    "no_face",
    "several_faces",
    "head_too_small",
    "head_too_large",
    "off_centre",
    "background_not_plain",
    "blurry",
    "too_dark",
    "too_bright",
)


@dataclass(frozen=True)
class Finding:
    """One check: its failure code, the value measured (in the unit of the limit; None
    when it could not be measured) and the allowed (min, max), None for no bound."""

    code: str
    measured: float | None
    expected: tuple[float | None, float | None]
    measure: str = ""  # what was measured, when one code has several measures


@dataclass(frozen=True)
class PhotoCheck:
    """The verdict on one upload. `failures` and `passed` are in the order of CODES;
    `normalised` is the picture as a baseline JPEG without metadata, None when it was
    not decoded (not an image, or a limit of the file failed)."""

    accepted: bool
    failures: tuple[Finding, ...]
    passed: tuple[Finding, ...]
    width: int | None
    height: int | None
    format: str | None
    normalised: bytes | None


Bounds = tuple[float | None, float | None]


class _Verdicts:
    """The findings as they are made, each put with the failures or the passed."""

    def __init__(self) -> None:
        self.failures: list[Finding] = []
        self.passed: list[Finding] = []

    def fail(self, code: str, measure: str, allowed: Bounds) -> None:
        """`code` failed with nothing to measure."""
        self.failures.append(Finding(code, None, allowed, measure))

    def judge(
        self,
        measure: str,
        value: float,
        allowed: Bounds,
        below: str | None = None,
        above: str | None = None,
    ) -> None:
        """`below` fails when `value` is under the allowed minimum, `above` when it is over
        the maximum (one code can be both); a code that does not fail has passed."""
        low, high = allowed
        outside: dict[str, bool] = {}
        if below is not None:
            outside[below] = low is not None and value < low
        if above is not None:
            outside[above] = outside.get(above, False) or (high is not None and value > high)
        for code, failed in outside.items():
            (self.failures if failed else self.passed).append(
                Finding(code, value, allowed, measure)
            )

    def result(
        self,
        width: int | None,
        height: int | None,
        image_format: str | None,
        normalised: bytes | None,
    ) -> PhotoCheck:
        order = {code: index for index, code in enumerate(CODES)}
        return PhotoCheck(
            accepted=not self.failures,
            failures=tuple(sorted(self.failures, key=lambda finding: order[finding.code])),
            passed=tuple(sorted(self.passed, key=lambda finding: order[finding.code])),
            width=width,
            height=height,
            format=image_format,
            normalised=normalised,
        )


def check_photo(data: bytes, limits: PhotoLimits) -> PhotoCheck:
    """Judge the upload `data` against `limits`. Never raises: bytes that are not a
    readable JPEG or PNG of the formats allowed give `not_an_image`."""
    verdicts = _Verdicts()
    bytes_like = isinstance(data, bytes | bytearray | memoryview)
    image_format = sniff_format(bytes(data)) if bytes_like else None
    if image_format is None or image_format not in limits.formats:
        verdicts.fail("not_an_image", "format", (None, None))
        return verdicts.result(None, None, image_format, None)
    data = bytes(data)
    verdicts.judge(
        "file_bytes",
        len(data),
        (limits.min_bytes, limits.max_bytes),
        below="file_too_small",
        above="file_too_large",
    )
    try:
        header = read_header(data, image_format)
    except Unreadable:
        verdicts.fail("not_an_image", "format", (None, None))
        return verdicts.result(None, None, image_format, None)
    if header.width * header.height > limits.max_width * limits.max_height:
        # Refused from the header alone, before anything (EXIF included) is decoded.
        _judge_pixels(verdicts, header.width, header.height, limits)
        return verdicts.result(header.width, header.height, image_format, None)
    try:
        width, height = upright_size(header)
    except Unreadable:
        verdicts.fail("not_an_image", "format", (None, None))
        return verdicts.result(header.width, header.height, image_format, None)
    _judge_pixels(verdicts, width, height, limits)
    if verdicts.failures:
        return verdicts.result(width, height, image_format, None)
    try:
        picture = decode_upright(header)
    except Unreadable:
        verdicts.fail("not_an_image", "format", (None, None))
        return verdicts.result(width, height, image_format, None)
    _judge_picture(verdicts, np.asarray(picture), limits)
    return verdicts.result(*picture.size, image_format, normalised_jpeg(picture))


def _judge_pixels(verdicts: _Verdicts, width: int, height: int, limits: PhotoLimits) -> None:
    for measure, value, allowed in (
        ("width_px", width, (limits.min_width, limits.max_width)),
        ("height_px", height, (limits.min_height, limits.max_height)),
    ):
        verdicts.judge(measure, value, allowed, below="too_few_pixels", above="too_many_pixels")


def _judge_picture(verdicts: _Verdicts, rgb: np.ndarray, limits: PhotoLimits) -> None:
    height, width = rgb.shape[:2]
    shape, tolerance = limits.aspect_ratio, limits.shape_tolerance
    verdicts.judge(
        "aspect_ratio",
        round(width / height, 4),
        (round(shape * (1 - tolerance), 4), round(shape * (1 + tolerance), 4)),
        below="wrong_shape",
        above="wrong_shape",
    )
    grey = measures.working_grey(rgb)
    faces = find_faces(grey, limits.min_face_size, limits.min_face_neighbours)
    verdicts.judge("faces", len(faces), (1, 1), below="no_face", above="several_faces")
    work_height, work_width = grey.shape
    face = faces[0] if faces else measures.expected_face(work_width, work_height, limits)
    head = measures.head_of(face, limits)
    if len(faces) == 1:
        low, high = limits.head_height_percent
        margin = limits.head_height_tolerance
        verdicts.judge(
            "head_height_percent",
            round(measures.head_height_percent(head, work_height), 1),
            (round(low - margin, 1), round(high + margin, 1)),
            below="head_too_small",
            above="head_too_large",
        )
        offset = limits.max_centre_offset_percent
        verdicts.judge(
            "centre_offset_percent",
            round(measures.centre_offset_percent(face, work_width), 1),
            (-offset, offset),
            below="off_centre",
            above="off_centre",
        )
    band = measures.background(grey, head)
    if band is not None:
        not_plain = "background_not_plain"
        verdicts.judge(
            "background_luminance",
            round(band.luminance, 1),
            (limits.min_background_luminance, None),
            below=not_plain,
        )
        verdicts.judge(
            "background_spread",
            round(band.spread, 1),
            (None, limits.max_background_spread),
            above=not_plain,
        )
        verdicts.judge(
            "background_edges_percent",
            round(band.edges_percent, 2),
            (None, limits.max_background_edges_percent),
            above=not_plain,
        )
    verdicts.judge(
        "sharpness",
        round(measures.sharpness(grey, face), 1),
        (limits.min_sharpness, None),
        below="blurry",
    )
    verdicts.judge(
        "face_luminance",
        round(measures.face_luminance(grey, face), 1),
        limits.face_luminance,
        below="too_dark",
        above="too_bright",
    )
    shadows, highlights = measures.clipped_percent(grey, face)
    clipped = (None, limits.max_clipped_percent)
    verdicts.judge("shadows_clipped_percent", round(shadows, 2), clipped, above="too_dark")
    verdicts.judge("highlights_clipped_percent", round(highlights, 2), clipped, above="too_bright")
