"""The Permissions-Policy header: browser features no page uses, turned off."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
