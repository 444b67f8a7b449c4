"""The JSON API, version 1, with its OpenAPI document at /api/v1/openapi.json."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer
import orjson

from passage.api.auth import AUTH
from passage.api.cases import router as cases_router
from passage.api.applications import router as applications_router
from passage.cases.errors import CaseError


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=str)


api = NinjaAPI(
    title="Passage API",
    version="1",
    description="Submit applications and follow cases. Every state-changing request takes "
    "an Idempotency-Key header.",
    auth=AUTH,
    renderer=OrjsonRenderer(),
    urls_namespace="api-v1",
)
api.add_router("/applications", applications_router)
api.add_router("/cases", cases_router)


@api.exception_handler(CaseError)
def case_error(request: HttpRequest, exc: CaseError) -> HttpResponse:
    body = {"detail": exc.message, "errors": exc.details.get("errors", {})}
    return api.create_response(request, body, status=exc.http_status)
