"""Answering when a part Passage depends on is out of reach (the database, the document
storage): 503 with `Retry-After`, never a bare 500, and nothing the person typed lost.

A view's exception is turned into a 500 by Django wherever it is raised; the
`got_request_exception` signal says which exception it was, and the middleware, outside
every part that reads the database, answers in its place: JSON in the API's one error
shape under /api/, elsewhere a page in both languages that reads neither the database nor
the session, with what the person sent ready to be sent again."""

import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from passage.errors import Unavailable
from passage.resilience import is_outage, unavailable_body

FLAG = "_passage_unavailable"
API_PREFIX = "/api/"
# Fields never written back into a page: passwords and one-time codes.
SECRET_FIELDS = frozenset({"password", "current_password", "code", "codes-code"})


def note_unavailable(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Remember on the request that its exception was a part being unavailable: the
    database out of reach (passage.resilience.is_outage), or any error of the unavailable
    family (`passage.errors.Unavailable`: the document storage unable to write, say)."""
    error = sys.exc_info()[1]
    if request is not None and _is_unavailable(error):
        setattr(request, FLAG, True)


def _is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, Unavailable) or is_outage(error)


got_request_exception.connect(note_unavailable, dispatch_uid="passage-unavailable")


class ServiceUnavailableMiddleware:
    """Answer 503 with `Retry-After` in place of the 500 of an unavailable part."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500 and getattr(request, FLAG, False):
            return unavailable_response(request)
        return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer to a request a part of Passage could not serve."""
    wait = settings.PASSAGE_RETRY_AFTER_SECONDS
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(unavailable_body(), status=503)
    else:
        posted, had_files = _posted(request)
        language = get_language() or settings.LANGUAGE_CODE
        html = render_to_string(
            "web/unavailable.html",
            {
                "language": language,
                # The page's own language first.
                "languages": [language, "fr" if language == "en" else "en"],
                "retry_after": wait,
                "posted": posted,
                "had_files": had_files,
                "action": request.get_full_path(),
            },
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def _posted(request: HttpRequest) -> tuple[list[tuple[str, str]], bool]:
    """The fields of a form that was sent, to send again (secrets left out), and whether
    files came with it."""
    if request.method != "POST":
        return [], False
    try:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            for value in values
            if name not in SECRET_FIELDS
        ]
        return fields, bool(request.FILES)
    except Exception:  # a body that cannot be read again: nothing to offer back
        return [], False
