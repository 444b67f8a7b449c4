"""Session timeouts, and the page gate: who may open each page, the staff second factor
included."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passage import clock
from passage.accounts import access
from passage.errors import Forbidden, NotFound, PassageError, Unavailable

SESSION_KEY = "passage_session"
# A session's "last seen" time is written at most once a minute, not on every request.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Sign a person out after PASSAGE_SESSION_IDLE_MINUTES without a request, and
    PASSAGE_SESSION_ABSOLUTE_HOURS after they signed in, whatever they do. The request
    then goes on signed out, so a page that needs sign-in sends them there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = clock.now().timestamp()
        user = request.user
        if user.is_authenticated:
            marks = request.session.get(SESSION_KEY)
            if marks and marks.get("user") == user.pk:
                self._check(request, marks, now)
        response = self.get_response(request)
        user = request.user
        if (
            user.is_authenticated
            # Signed in through this session, not with an API token: a token request
            # has no session to time out, and must not make one.
            and auth.SESSION_KEY in request.session
            and (request.session.get(SESSION_KEY) or {}).get("user") != user.pk
        ):
            # Just signed in (or a session from before this middleware): start the clocks.
            request.session[SESSION_KEY] = {"user": user.pk, "started": now, "seen": now}
        return response

    def _check(self, request: HttpRequest, marks: dict[str, Any], now: float) -> None:
        idle = settings.PASSAGE_SESSION_IDLE_MINUTES
        absolute = settings.PASSAGE_SESSION_ABSOLUTE_HOURS
        if now - marks["seen"] > idle * 60:
            logout(request)
            messages.info(
                request,
                ngettext(
                    "You were signed out because there was no activity for %(minutes)d "
                    "minute. Sign in again to go on.",
                    "You were signed out because there was no activity for %(minutes)d "
                    "minutes. Sign in again to go on.",
                    idle,
                )
                % {"minutes": idle},
            )
        elif now - marks["started"] > absolute * 3600:
            logout(request)
            messages.info(
                request,
                _(
                    "You were signed out because you signed in more than %(hours)d hours ago. "
                    "Sign in again to go on."
                )
                % {"hours": absolute},
            )
        elif now - marks["seen"] >= SEEN_RESOLUTION_SECONDS:
            request.session[SESSION_KEY] = {**marks, "seen": now}


class PageGateMiddleware:
    """The page gate (`passage.accounts.access`): before any page's view runs, apply what
    the view states about who may open it, the staff second-factor rule on every page
    included; then run the view in the person's time zone. An error of Passage's that a
    page's view did not handle is answered by its family (`passage.errors`): a 404 for
    what is not found, the 503 page for a part that is unavailable
    (`passage.web.unavailable`), else a page with its message and status. The API's
    routes are left to its own authentication and error handlers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None:
            return None
        rule = access.access_for(match, view)
        if rule is None:
            return None
        refused = access.refusal(request, rule)
        if refused is None:
            timezone.activate(access.time_zone_of(request.user))
        return refused

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if not isinstance(exception, PassageError) or match is None or access.is_api(match):
            return None
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, Unavailable):
            return None  # the 503 page, with what was sent ready to send again
        title = (
            _("You cannot use this page")
            if isinstance(exception, Forbidden)
            else _("This could not be done")
        )
        return access.refused_page(request, title, exception.message, status=exception.http_status)
