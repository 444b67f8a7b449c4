"""The rulesets in force in this process, loaded from the programs folder and reloaded
when a rule file changes on disk."""

from pathlib import Path

from django.conf import settings

from passage.rules.loader import RuleSet
from passage.rules.programs import load_rulesets

_cache: tuple[tuple[tuple[str, int], ...], dict[str, RuleSet]] | None = None


def current_rulesets(directory: Path | None = None) -> dict[str, RuleSet]:
    """Each program's ruleset, by program code."""
    global _cache
    directory = directory or Path(settings.PASSAGE_PROGRAMS_DIR)
    signature = tuple(
        (str(path), path.stat().st_mtime_ns) for path in sorted(directory.glob("*/rules.yaml"))
    )
    if _cache is None or _cache[0] != signature:
        _cache = (signature, load_rulesets(directory))
    return _cache[1]
