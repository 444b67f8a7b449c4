"""The static copy of the status page: written on every change to the outage register
(`services.after_change`, registered in `apps.py`) and by `passage write_status_copy`,
for the web server to serve when Passage cannot answer (deploy/nginx.conf).

The folder (`PASSAGE_STATUS_DIR`) mirrors the site's addresses, so that the web server
serves it with a plain `root`:

    en/status/index.html  en/status/summary.json  en/status/feed.atom
    fr/status/index.html  fr/status/summary.json  fr/status/feed.atom
    unavailable.html      the "service unavailable" page, in both languages

Each page is self-contained (inline styles, nothing else loaded) and each file is
replaced atomically: written beside, flushed, renamed over the old one, the folder
flushed, so that the web server never serves half a page, even after a crash."""

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from passage import clock
from passage.continuity import status_formats
from passage.continuity.models import Component
from passage.continuity.status_selectors import status_report
from passage.durable import fsync_folder, one_writer_at_a_time
from passage.languages import other_language_than

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
UNAVAILABLE = "unavailable.html"
# Where the probes' notice goes in each page while the database is down.
LIVE_START, LIVE_END = "<!--live-->", "<!--/live-->"


def write_status_copy(at: datetime | None = None, folder: Path | None = None) -> Path:
    """Write the whole copy as the register stands at `at` (now by default) into `folder`
    (`PASSAGE_STATUS_DIR` by default), and return the folder. Two writers take turns
    (a lock file), so that the copy left is the one read last."""
    target = Path(folder or settings.PASSAGE_STATUS_DIR)
    target.mkdir(parents=True, exist_ok=True)
    with one_writer_at_a_time(target):
        at = at or clock.now()
        report = status_report(at)
        with timezone.override(settings.PASSAGE_DISPLAY_TIME_ZONE):
            for language in LANGUAGES:
                with translation.override(language):
                    other = other_language_than(language)
                    page = render_to_string(
                        "continuity/status_copy.html",
                        {
                            "report": report,
                            "language": language,
                            "other_language": other,
                            "other_language_name": LANGUAGE_NAMES[other],
                            "written_at": at,
                        },
                    )
                    summary = json.dumps(status_formats.summary(report), ensure_ascii=False)
                    feed = status_formats.atom_feed(report)
                folder_of_language = target / language / "status"
                write_atomically(folder_of_language / "index.html", page)
                write_atomically(folder_of_language / "summary.json", summary)
                write_atomically(folder_of_language / "feed.atom", feed)
        unavailable = render_to_string("continuity/unavailable_copy.html", {"languages": LANGUAGES})
        write_atomically(target / UNAVAILABLE, unavailable)
    return target


def write_live_states(states: Mapping[str, Any], folder: Path | None = None) -> None:
    """Show what the probes see now at the top of each language's copy, while the
    database (and so the register) cannot be read: each failing service and since when.
    The rest of the copy stays as the register last left it; the next full write (once
    the database is back and the incident recorded) replaces the notice."""
    target = Path(folder or settings.PASSAGE_STATUS_DIR)
    at = clock.now()
    with one_writer_at_a_time(target), timezone.override(settings.PASSAGE_DISPLAY_TIME_ZONE):
        for language in LANGUAGES:
            page_path = target / language / "status" / "index.html"
            if not page_path.exists():
                continue
            with translation.override(language):
                failing = [
                    {"name": str(Component(name).label), "since": state.since}
                    for name, state in sorted(states.items())
                    if not state.ok and name in Component.values
                ]
                notice = render_to_string(
                    "continuity/includes/live_states.html",
                    {"failing": failing, "checked_at": at},
                )
            page = page_path.read_text(encoding="utf-8")
            start, end = page.find(LIVE_START), page.find(LIVE_END)
            if start < 0 or end < start:
                continue
            write_atomically(page_path, page[: start + len(LIVE_START)] + notice + page[end:])


def write_after_change(reference: str) -> None:
    """What runs once a change to the register is committed: write the copy again. A
    copy that cannot be written is logged, never raised: the change itself is made."""
    try:
        write_status_copy()
    except Exception:
        logger.exception("The status page's static copy was not written after %s", reference)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old file or the new one, never
    a part, and the new one survives a crash once this returns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # the web server reads it as another user
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)
