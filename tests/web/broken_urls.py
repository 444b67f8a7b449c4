"""Passage's URL map with pages that fail on purpose, under /en/ and /fr/, for the tests
of the error pages: `settings.ROOT_URLCONF = "tests.web.broken_urls"`."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from passage.accounts.access import gate
from passage.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

ADDRESSES = {400: "unreadable/", 403: "forbidden/", 500: "broken/"}


@gate(public=True)
def unreadable(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request this test made unreadable")


@gate(public=True)
def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@gate(public=True)
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault this test made")


urlpatterns = [
    path(f"api/v1/{ADDRESSES[500]}", broken),
    *urlpatterns,
    *i18n_patterns(
        path(ADDRESSES[400], unreadable),
        path(ADDRESSES[403], forbidden),
        path(ADDRESSES[500], broken),
        prefix_default_language=True,
    ),
]
