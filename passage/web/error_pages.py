"""The pages that say a request was not served: a request that cannot be read (400), a
page refused (403, and a form whose CSRF check failed), nothing at the address (404), a
request too large or too frequent (413, 429, from `web/middleware.py`) and a fault on our
side (500). One shape (`web/error.html` in the site's layout), in the language of the
address (English where it has no language prefix, with the toggle to French), saying
what happened and what the person can do, never how it happened. The 500 page also says,
in both languages, what to do instead while Passage is not working, as the status page
and the web server's "service unavailable" page do (`passage/continuity`).

Under /api/ the API's JSON shape answers instead (`passage.api.middleware`): these views
leave it the status only. The 500 page reads neither the session nor the database and
runs no context processor; if even the layout fails (a broken template or tag), a bare
page says the same words."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passage.languages import other_language_than

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
TEMPLATE = "web/error.html"
Text = str | Promise


@dataclass(frozen=True)
class Explanation:
    """What an error page says: what happened (`title`, `message`), then what to do."""

    status: int
    title: Promise
    message: Promise
    advice: tuple[Promise, ...]
    # A fault on our side: the page also says, in both languages, what to do instead
    # (continuity/includes/unavailable_advice.html, as the status page's copy does).
    meanwhile: bool = False


BAD_REQUEST = Explanation(
    400,
    gettext_lazy("We could not read your request"),
    gettext_lazy("Part of what your browser sent was not as expected, so nothing was done."),
    (gettext_lazy("Go back, reload the page and try again."),),
)
PERMISSION_DENIED = Explanation(
    403,
    gettext_lazy("You cannot use this page"),
    gettext_lazy("Your account does not give access to this page."),
    (gettext_lazy("If you followed a link, check that you are signed in with the right account."),),
)
CSRF_FAILURE = Explanation(
    403,
    gettext_lazy("Your form could not be sent"),
    gettext_lazy(
        "For your security, we could not confirm that the form came from this site, so "
        "nothing was saved."
    ),
    (
        gettext_lazy("Go back, reload the page and send the form again."),
        gettext_lazy(
            "If this happens again, check that your browser accepts cookies from this site."
        ),
    ),
)
NOT_FOUND = Explanation(
    404,
    gettext_lazy("We cannot find that page"),
    gettext_lazy("The address may be mistyped, or the page may have moved or no longer exist."),
    (
        gettext_lazy(
            "If you typed the address, check it. If you followed a link, go back and try "
            "again from the page you were on."
        ),
    ),
)
SERVER_ERROR = Explanation(
    500,
    gettext_lazy("Something went wrong on our side"),
    gettext_lazy(
        "Passage could not finish your request because of a problem on our side, not "
        "because of anything you did."
    ),
    (
        gettext_lazy(
            "Try again in a few minutes. If you were sending a form, check whether it was "
            "saved before you send it again."
        ),
        gettext_lazy(
            "If the problem goes on, write to the office that processes your application "
            "from its messages page, and say what you were doing."
        ),
    ),
    meanwhile=True,
)


def page_language(request: HttpRequest) -> str:
    """The language of the address: its prefix, else the site's first language."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def error_page(
    request: HttpRequest,
    status: int,
    title: Text,
    message: Text,
    advice: Sequence[Text] = (),
    *,
    reads_session: bool = True,
    meanwhile: bool = False,
) -> HttpResponse:
    """The page saying that `request` was not served (`title`, `message`) and what to do
    (`advice`), in the language of its address. `reads_session=False` draws it from the
    request alone: no context processor, so no session, person or database."""
    if request.path.startswith(API_PREFIX):
        return HttpResponse(status=status)  # shaped as the API's JSON by its middleware
    language = page_language(request)
    with translation.override(language):
        other = other_language_than(language)
        context = {
            "title": title,
            "message": message,
            "advice": advice,
            "other_language": other,
            "other_language_url": _same_address_in(request, language, other),
            "meanwhile": meanwhile,
        }
        response: HttpResponse
        if reads_session:
            response = render(request, TEMPLATE, context, status=status)
        else:
            html = render_to_string(TEMPLATE, {**context, "request": request})
            response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def explained(
    request: HttpRequest, explanation: Explanation, *, reads_session: bool = True
) -> HttpResponse:
    """The error page that says `explanation`."""
    return error_page(
        request,
        explanation.status,
        explanation.title,
        explanation.message,
        explanation.advice,
        reads_session=reads_session,
        meanwhile=explanation.meanwhile,
    )


def _same_address_in(request: HttpRequest, language: str, other: str) -> str:
    """This page in the other language: the page's own translated address where it has
    one, else the same address under the other language's prefix, which answers the same
    error in that language."""
    address = request.get_full_path()
    try:
        translated = translate_url(address, other)
    except Exception:  # an address the URL map cannot even read
        return f"/{other}/"
    if translated != address:
        return translated
    prefix = f"/{language}/"
    rest = address.removeprefix(prefix) if address.startswith(prefix) else address.lstrip("/")
    return f"/{other}/{rest}"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a request that cannot be read (a malformed body, a wrong host)."""
    return explained(request, BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: a page this person may not open."""
    return explained(request, PERMISSION_DENIED)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form that could not be checked as sent from this site."""
    return explained(request, CSRF_FAILURE)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: nothing at this address, or nothing this person may see there."""
    return explained(request, NOT_FOUND)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a fault on our side. Drawn from the request alone; a bare page when
    even that fails."""
    try:
        return explained(request, SERVER_ERROR, reads_session=False)
    except Exception:
        logger.exception("The 500 page could not be drawn; the bare one was sent")
    language = page_language(request)
    with translation.override(language):
        html = format_html(
            '<!doctype html><html lang="{}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>{} \u2013 Passage</title></head><body><main><h1>{}</h1><p>{}</p>"
            '<p>{}</p><p><a href="/{}/">{}</a></p><p><a href="/{}/status/">{}</a></p>'
            "</main></body></html>",
            language,
            SERVER_ERROR.title,
            SERVER_ERROR.title,
            SERVER_ERROR.message,
            SERVER_ERROR.advice[0],
            language,
            _("Go back to the home page"),
            language,
            _("See which services are working, and what we know of the outage"),
        )
    return HttpResponse(html, status=500, headers={"Content-Language": language})
