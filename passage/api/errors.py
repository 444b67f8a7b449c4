"""One error shape for the whole API: `{"detail": sentence, "errors": {field: message}}`."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from passage.errors import PassageError, Unavailable
from passage.resilience import unavailable_body

IDEMPOTENCY_HEADER = "Idempotency-Key"


def register_error_handlers(api: NinjaAPI) -> None:
    """Map the families of Passage's errors, validation errors and a lost database to
    clear answers. Each app's errors belong to a family (`passage.errors`) and say their
    status; nothing here lists them."""

    @api.exception_handler(PassageError)
    def passage_error(request: HttpRequest, exc: PassageError) -> HttpResponse:
        return _error_response(api, request, exc)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja wraps any failure of the body parser in a bare 400; the strict
        # parser's own error (`parsing.InvalidBody`) says what is wrong and where.
        cause = exc.__cause__
        if isinstance(cause, PassageError):
            return _error_response(api, request, cause)
        body = {"detail": str(exc), "errors": {}}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = {_field_name(error["loc"]): error["msg"] for error in exc.errors}
        if IDEMPOTENCY_HEADER in errors:
            # A missing key is a malformed request (400), as the IETF draft on the header says.
            body = {
                "detail": _("Send an Idempotency-Key header (a UUID, for example)."),
                "errors": {IDEMPOTENCY_HEADER: errors[IDEMPOTENCY_HEADER]},
            }
            return api.create_response(request, body, status=400)
        body = {"detail": _("The request has errors."), "errors": errors}
        return api.create_response(request, body, status=422)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _unavailable(api, request)


def _error_response(api: NinjaAPI, request: HttpRequest, exc: PassageError) -> HttpResponse:
    """The answer to one of Passage's errors: its status, its message and field errors."""
    if isinstance(exc, Unavailable):
        return _unavailable(api, request)
    body = {"detail": exc.message, "errors": exc.details.get("errors", {})}
    return api.create_response(request, body, status=exc.http_status)


def _unavailable(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    # Nothing was committed; the same request with the same key is safe to send again.
    response = api.create_response(request, unavailable_body(), status=503)
    response["Retry-After"] = str(settings.PASSAGE_RETRY_AFTER_SECONDS)
    return response


def _field_name(location: list[str | int] | tuple[str | int, ...]) -> str:
    """`["body", "body", "documents", 0, "kind"]` becomes `documents[0].kind`."""
    parts = [part for part in location if part not in ("body", "header", "query", "path")]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "request"
