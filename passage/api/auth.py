"""API authentication: a bearer token (apps, partners) or the browser's session.

Staff reach the API only with their second factor: a bearer token of a staff account works
only while the account has one enrolled, and a staff session only once it has passed it
(the pages' rule, `accounts.middleware.PageGateMiddleware`). A request with no
credentials at all is a 401, never a CSRF 403."""

from dataclasses import dataclass
from typing import Any

from django.db import Error
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from passage.accounts.mfa import has_confirmed_device, is_verified
from passage.accounts.models import ApiToken
from passage.accounts.selectors import user_for_api_token
from passage.continuity.spool import spool_enabled
from passage.resilience import is_outage


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(raw_token=token)
        if user is None or (user.must_use_mfa and not has_confirmed_device(user)):
            return None
        request.user = user
        return user


@dataclass(frozen=True)
class UncheckedToken:
    """A bearer token the database could not check: only its digest, as the accounts app
    stores it, for the intake spool's replayer to check once the database is back."""

    digest: str


class SpoolingBearerToken(BearerToken):
    """The bearer token of a submission: when the database is out of reach and the intake
    spool is on, the request goes on with the token unchecked (`UncheckedToken`), to be
    spooled, instead of ending in a 503."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            return super().authenticate(request, token)
        except Error as error:
            if not (is_outage(error) and spool_enabled()):
                raise
            return UncheckedToken(digest=ApiToken.hash(token))


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
# Submitting an application: the same, with a token the database cannot check spooled.
SUBMISSION_AUTH = [SpoolingBearerToken(), VerifiedSession()]
