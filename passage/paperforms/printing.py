"""Printing a paper form from the site: the document stamped with the time, the PDF laid
out (`passage.paper.layout`)."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from passage.paper.document import FormDefinition, printed_form, stamped
from passage.paper.layout import render_pdf


def department_time(at: datetime.datetime) -> datetime.datetime:
    """`at` in the department's time zone, to the second, as the document's
    `printed_at` gives it."""
    return at.astimezone(ZoneInfo(settings.PASSAGE_DISPLAY_TIME_ZONE)).replace(microsecond=0)


def form_pdf(
    definition: FormDefinition, document: dict[str, Any], *, now: datetime.datetime
) -> tuple[dict[str, Any], bytes]:
    """The document as printed now, and the PDF of the form."""
    printed = stamped(document, department_time(now))
    return printed, render_pdf(printed_form(definition, printed))
