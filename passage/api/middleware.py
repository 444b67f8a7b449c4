"""One error shape for every answer under /api/, including those Django or django-ninja
make before the API's own handlers run: a method the address does not take (405), an
address with nothing behind it (404), a server error (500)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# Headers of the original answer that say what to do next.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class JsonErrorsMiddleware:
    """Turn an error answer under /api/ that is not JSON into the API's error shape,
    `{"detail": sentence, "errors": {}}`, with the same status and guiding headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        shaped = JsonResponse(
            {"detail": _detail(request, response), "errors": {}}, status=response.status_code
        )
        for header in KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped


def _detail(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 405:
        return _("This address does not take %(method)s; it takes %(allowed)s.") % {
            "method": request.method,
            "allowed": response.get("Allow", ""),
        }
    if status == 404:
        return _("There is nothing at this address.")
    if status >= 500:
        return _("Something went wrong on our side and nothing was saved. Try again later.")
    return _("The request cannot be read.")
