"""Answers before a view runs: the Permissions-Policy header on every answer, and the
refusal of a request that is too large (413) or comes too often (429), in JSON on the API
and as the site's error page elsewhere (`web/error_pages.py`), both with what to do."""

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passage import clock
from passage.accounts.throttling import limits_for, wait_for
from passage.web.error_pages import error_page

HEADER = "Permissions-Policy"


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value: each feature with the origins allowed it, `()` for none."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """Send PASSAGE_PERMISSIONS_POLICY on every answer that has no such header yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Settings do not change while the process runs: build the value once.
        self.value = permissions_policy(settings.PASSAGE_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault(HEADER, self.value)
        return response


API_PREFIX = "/api/"
# Where a request may carry documents (the API's submissions; any multipart form).
UPLOAD_PATHS = ("/api/v1/applications",)
BATCH_PATHS = ("/api/v1/triage",)


class RequestLimitsMiddleware:
    """Refuse a request whose declared size is over its limit before anything reads it
    (413), and a write past its rate (429 with `Retry-After`, `accounts/throttling.py`).
    Placed after sign-in and language, so a refusal names the person's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        if _declared_length(request) > limit:
            return _too_large(request, limit)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        api = request.path.startswith(API_PREFIX)
        wait = wait_for(limits_for(request, match.view_name, api=api), now=clock.now())
        return None if wait is None else _too_many(request, wait)


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may declare, in bytes."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/") or request.path.startswith(UPLOAD_PATHS):
        return int(settings.PASSAGE_MAX_UPLOAD_REQUEST_BYTES)
    if request.path.startswith(BATCH_PATHS):
        return int(settings.PASSAGE_MAX_BATCH_REQUEST_BYTES)
    return int(settings.PASSAGE_MAX_REQUEST_BYTES)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot read


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    megabytes = max(1, math.floor(limit / (1024 * 1024)))
    message = _("The request is larger than %(size)s MB, the most this service accepts.") % {
        "size": megabytes
    }
    return _refusal(request, 413, _("The request is too large"), message)


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    message = ngettext(
        "There were too many requests from you in a short time. Wait %(seconds)d second, "
        "then try again.",
        "There were too many requests from you in a short time. Wait %(seconds)d seconds, "
        "then try again.",
        wait,
    ) % {"seconds": wait}
    response = _refusal(request, 429, _("Too many requests"), message)
    response["Retry-After"] = str(wait)
    return response


def _refusal(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        # The API's one error shape (passage/api/errors.py).
        response = JsonResponse({"detail": message, "errors": {}}, status=status)
    else:
        kept = _("Nothing was saved from this request. What you typed before it is kept.")
        response = error_page(request, status, title, message, [kept])
    # The body was not read: the connection cannot carry another request after it.
    response["Connection"] = "close"
    return response
