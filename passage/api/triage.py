"""Triage over HTTP: the same input and result lines as `passage triage`, as JSON arrays."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Router

from passage.api.responses import json_response
from passage.api.schemas import ERROR_DETAILS, WRITE_ERRORS
from passage.cases.errors import InvalidRequest
from passage.rules.programs import triage_lines
from passage.triage.rulesets import current_rulesets

router = Router(tags=["triage"])
MAX_LINES = 10_000


@router.post(
    "",
    response={200: list[dict[str, Any]], **WRITE_ERRORS},
    openapi_extra=ERROR_DETAILS,
    summary="Triage applications",
)
def triage(request: HttpRequest, lines: list[Any] = Body(...)) -> HttpResponse:  # noqa: B008
    """Evaluate a list of interchange input lines (`{id, program, category, facts}`) and
    answer one result line for each, in order: `eligible_auto` or `needs_officer` with a
    tier, every criterion with its result, detail and citation, and the ruleset version.
    An invalid line gets `{id, error}`. Nothing is stored; there is no refusal outcome."""
    if len(lines) > MAX_LINES:
        raise InvalidRequest(
            _("Send at most %(count)s lines per request.") % {"count": MAX_LINES},
            errors={"lines": _("Too many lines.")},
        )
    return json_response(triage_lines(current_rulesets(), lines))
