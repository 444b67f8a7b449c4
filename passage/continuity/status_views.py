"""The public status page, in the site's layout, and the same as JSON (shaped like the
Statuspage v2 summary) and as an Atom feed. Open to everyone, signed in or not.

When the database is out of reach, each answers with its static copy instead
(`status_copy`, with what the probes see now at its top): the status page is the one
page that must answer during an outage."""

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import Error
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passage import clock
from passage.accounts.access import gate
from passage.continuity import status_formats
from passage.continuity.status_selectors import StatusReport, status_report
from passage.resilience import drop_connections, is_outage

# The page changes with the register; a minute of caching spares a busy moment.
CACHE_CONTROL = "public, max-age=60"


@gate(public=True)
def status_page(request: HttpRequest) -> HttpResponse:
    """Each service's state, the incidents and maintenance under way or announced, what
    to do meanwhile, and the history of every outage."""

    def page(report: StatusReport) -> HttpResponse:
        context = {"report": report, "feed_url": f"/{status_formats.language()}/status/feed.atom"}
        return render(request, "continuity/status.html", context)

    return _answer(page, "index.html", "text/html; charset=utf-8")


@gate(public=True)
def summary_json(request: HttpRequest) -> HttpResponse:
    """The status as JSON, in the Statuspage v2 `summary.json` shape."""

    def summary(report: StatusReport) -> HttpResponse:
        body = json.dumps(status_formats.summary(report), ensure_ascii=False)
        return HttpResponse(body, content_type="application/json; charset=utf-8")

    return _answer(summary, "summary.json", "application/json; charset=utf-8")


@gate(public=True)
def feed_atom(request: HttpRequest) -> HttpResponse:
    """Every outage as an Atom feed, newest first."""

    def feed(report: StatusReport) -> HttpResponse:
        body = status_formats.atom_feed(report)
        return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")

    return _answer(feed, "feed.atom", "application/atom+xml; charset=utf-8")


def _answer(
    make: Callable[[StatusReport], HttpResponse], copy_name: str, content_type: str
) -> HttpResponse:
    """`make` of the register as it is now; its static copy when the database cannot be
    read (or a 503 when there is no copy either)."""
    try:
        response = make(status_report(clock.now()))
    except Error as error:
        if not is_outage(error):
            raise
        drop_connections()
        copy = Path(settings.PASSAGE_STATUS_DIR) / status_formats.language() / "status"
        if not (copy / copy_name).exists():
            raise
        response = HttpResponse((copy / copy_name).read_bytes(), content_type=content_type)
        response["X-Status-Copy"] = "true"
    response["Cache-Control"] = CACHE_CONTROL
    return response
