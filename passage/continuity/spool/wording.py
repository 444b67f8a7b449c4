"""A time received, as each language writes it in a sentence, for the receipt page and the
emails: "7 December 2026 at 09:15 (America/Toronto)"."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from passage.languages import written_date


def time_received(at: datetime, language: str) -> str:
    """`at` in the site's display time zone, worded in `language`."""
    zone = settings.PASSAGE_DISPLAY_TIME_ZONE
    local = at.astimezone(ZoneInfo(zone))
    with translation.override(language):
        return _("%(date)s at %(time)s (%(zone)s)") % {
            "date": written_date(local.date(), language),
            "time": local.strftime("%H:%M"),
            "zone": zone,
        }
