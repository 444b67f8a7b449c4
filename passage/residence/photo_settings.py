"""The photo limits in force: the file `PASSAGE_PHOTO_LIMITS_FILE` names (by default the
one shipped with the checks, each limit with its source), read once per change."""

import functools
from pathlib import Path

from django.conf import settings

from passage.photos.limits import PhotoLimits, load_limits


def photo_limits() -> PhotoLimits:
    """The limits the photo checks apply."""
    configured = settings.PASSAGE_PHOTO_LIMITS_FILE
    path = Path(configured) if configured else None
    stamp = path.stat().st_mtime_ns if path is not None and path.exists() else 0
    return _limits(path, stamp)


@functools.lru_cache(maxsize=4)
def _limits(path: Path | None, stamp: int) -> PhotoLimits:
    return load_limits(path)
