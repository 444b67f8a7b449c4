"""API authentication: a bearer token (apps, partners) or the browser's session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from passage.accounts.selectors import user_for_api_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(raw_token=token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), SessionAuth()]
