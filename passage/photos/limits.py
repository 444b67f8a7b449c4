"""The photo check's limits, read strictly from `limits.yaml`: every entry present, none
unknown, each a `value` with the `source` it follows or `why` it was chosen."""

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

LIMITS_FILE = Path(__file__).with_name("limits.yaml")
FORMATS = ("JPEG", "PNG")


@dataclass(frozen=True)
class PhotoLimits:
    """Every limit of `check_photo`; `limits.yaml` explains each one."""

    formats: tuple[str, ...]
    min_bytes: int
    max_bytes: int
    min_width: int
    min_height: int
    max_width: int
    max_height: int
    photo_size_mm: tuple[float, float]
    shape_tolerance: float
    head_height_percent: tuple[float, float]
    head_height_tolerance: float
    head_from_face_box: float
    chin_below_face_box: float
    max_centre_offset_percent: float
    min_face_size: float
    min_face_neighbours: int
    min_background_luminance: float
    max_background_spread: float
    max_background_edges_percent: float
    min_sharpness: float
    face_luminance: tuple[float, float]
    max_clipped_percent: float

    @property
    def aspect_ratio(self) -> float:
        """The photo's width over its height."""
        width, height = self.photo_size_mm
        return width / height


def load_limits(path: Path | None = None) -> PhotoLimits:
    """The limits in `path` (by default `limits.yaml` beside this module); a ValueError
    that names the file and the entry when one is missing, unknown or wrong."""
    path = LIMITS_FILE if path is None else path
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ValueError(f"{path.name}: cannot be read as YAML: {error}") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path.name}: expected a mapping of limits at the top level")
    expected = [field.name for field in fields(PhotoLimits)]
    unknown = sorted(str(key) for key in document if key not in expected)
    missing = [name for name in expected if name not in document]
    if unknown or missing:
        raise ValueError(
            f"{path.name}: "
            + "; ".join(
                part
                for part in (
                    f"unknown entries: {', '.join(unknown)}" if unknown else "",
                    f"missing entries: {', '.join(missing)}" if missing else "",
                )
                if part
            )
        )
    values = {name: _entry(path, name, document[name]) for name in expected}
    limits = PhotoLimits(**values)
    _check_consistent(path, limits)
    return limits


def _entry(path: Path, name: str, entry: object) -> Any:
    if not isinstance(entry, dict) or "value" not in entry:
        raise ValueError(f"{path.name}: {name}: expected a mapping with a 'value'")
    extra = sorted(str(key) for key in entry if key not in ("value", "source", "why"))
    if extra:
        raise ValueError(f"{path.name}: {name}: unknown keys: {', '.join(extra)}")
    reasons = [entry.get("source"), entry.get("why")]
    if not any(isinstance(reason, str) and reason.strip() for reason in reasons):
        raise ValueError(f"{path.name}: {name}: give the 'source' or say 'why'")
    try:
        return _READERS[name](entry["value"])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path.name}: {name}: {error}") from None


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"expected a positive whole number, not {value!r}")
    return int(value)


def _non_negative(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"expected a number of zero or more, not {value!r}")
    return float(value)


def _range(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"expected [low, high], not {value!r}")
    low, high = (_non_negative(item) for item in value)
    if low > high:
        raise ValueError(f"the low end {low} is above the high end {high}")
    return low, high


def _lengths(value: Any) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"expected [width, height], not {value!r}")
    width, height = (_non_negative(item) for item in value)
    if not width or not height:
        raise ValueError("expected two lengths above zero")
    return width, height


def _formats(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or any(item not in FORMATS for item in value):
        raise ValueError(f"expected a list of some of {', '.join(FORMATS)}, not {value!r}")
    return tuple(value)


_READERS: dict[str, Callable[[Any], Any]] = {
    "formats": _formats,
    "min_bytes": _positive_int,
    "max_bytes": _positive_int,
    "min_width": _positive_int,
    "min_height": _positive_int,
    "max_width": _positive_int,
    "max_height": _positive_int,
    "photo_size_mm": _lengths,
    "shape_tolerance": _non_negative,
    "head_height_percent": _range,
    "head_height_tolerance": _non_negative,
    "head_from_face_box": _non_negative,
    "chin_below_face_box": _non_negative,
    "max_centre_offset_percent": _non_negative,
    "min_face_size": _non_negative,
    "min_face_neighbours": _positive_int,
    "min_background_luminance": _non_negative,
    "max_background_spread": _non_negative,
    "max_background_edges_percent": _non_negative,
    "min_sharpness": _non_negative,
    "face_luminance": _range,
    "max_clipped_percent": _non_negative,
}


def _check_consistent(path: Path, limits: PhotoLimits) -> None:
    problems = []
    if limits.min_bytes > limits.max_bytes:
        problems.append("min_bytes is above max_bytes")
    if limits.min_width > limits.max_width or limits.min_height > limits.max_height:
        problems.append("a minimum number of pixels is above its maximum")
    if limits.head_from_face_box < 1:
        problems.append("head_from_face_box must be at least 1 (the head holds the face)")
    if not 0 < limits.min_face_size < 1:
        problems.append("min_face_size must be a share of the height between 0 and 1")
    if problems:
        raise ValueError(f"{path.name}: {'; '.join(problems)}")
