"""API authentication: a bearer token (apps, partners) or the browser's session.

Staff reach the API only with their second factor: a bearer token of a staff account works
only while the account has one enrolled, and a staff session only once it has passed it
(the pages' rule, `accounts.middleware.PageGateMiddleware`). A request with no
credentials at all is a 401, never a CSRF 403."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from passage.accounts.mfa import has_confirmed_device, is_verified
from passage.accounts.selectors import user_for_api_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(raw_token=token)
        if user is None or (user.must_use_mfa and not has_confirmed_device(user)):
            return None
        request.user = user
        return user


class VerifiedSession(SessionAuth):
    """The signed-in browser session, with CSRF checked on writes; for staff, a session
    that passed the second factor."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not _usable_session(request):
            return None  # nothing it could do to protect: a 401, not a CSRF 403
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if _usable_session(request) else None


def _usable_session(request: HttpRequest) -> bool:
    """A signed-in session, and for staff one that passed the second factor."""
    user = request.user
    if not user.is_authenticated:
        return False
    return not user.must_use_mfa or is_verified(request)  # type: ignore[union-attr]


AUTH = [BearerToken(), VerifiedSession()]
