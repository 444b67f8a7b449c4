"""JSON responses serialised straight to bytes with orjson."""

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import BaseRenderer

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=str)


def json_response(body: Any, *, status: int = 200) -> HttpResponse:
    """A response for a body already in the shape its schema declares. Hot endpoints use
    it to skip validating their own output again."""
    return HttpResponse(orjson.dumps(body), status=status, content_type=JSON_CONTENT_TYPE)
