"""The JSON API, version 1, with its OpenAPI document at /api/v1/openapi.json."""

from ninja import NinjaAPI

from passage.api.applications import router as applications_router
from passage.api.auth import AUTH
from passage.api.cases import router as cases_router
from passage.api.docs import SWAGGER, docs_view
from passage.api.errors import register_error_handlers
from passage.api.parsing import StrictJSONParser
from passage.api.responses import OrjsonRenderer
from passage.api.triage import router as triage_router

api = NinjaAPI(
    title="Passage API",
    version="1",
    description="Submit applications and follow cases. Every state-changing request takes "
    "an Idempotency-Key header.",
    auth=AUTH,
    renderer=OrjsonRenderer(),
    parser=StrictJSONParser(),
    urls_namespace="api-v1",
    # The docs page and the OpenAPI document: for verified department staff only.
    docs=SWAGGER,
    docs_decorator=docs_view,
)
api.add_router("/applications", applications_router)
api.add_router("/cases", cases_router)
api.add_router("/triage", triage_router)
register_error_handlers(api)
