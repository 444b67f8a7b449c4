"""Session timeouts, and the second factor in front of every staff request."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from passage import clock
from passage.accounts.mfa import is_verified, staff_verification_response

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


# The pages a signed-in person who still owes their second factor may open: setting it up
# or entering a code, and signing out.
BEFORE_SECOND_FACTOR = frozenset({"accounts:mfa", "accounts:sign-in-code", "web:sign-out"})


class StaffSecondFactorMiddleware:
    """No staff access of any kind before the second factor: a person who must use one
    (`User.must_use_mfa`) and whose session has not passed it is sent to set it up or to
    enter a code from every page, the applicant's and the admin included. The API applies
    the same rule in its own authentication (`passage.api.auth`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if match.namespace.startswith("api-"):
            return None  # answered by the API's authentication, as JSON
        if match.app_name == "admin":
            # Signed out: Passage's own sign-in (with its lockout and second step).
            return staff_verification_response(request)
        user = request.user
        if user.is_authenticated and user.must_use_mfa and not is_verified(request):  # type: ignore[union-attr]
            return staff_verification_response(request)
        return None
