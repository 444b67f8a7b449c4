"""When a client's document request is due, in the time zones it is judged in.

A request is due at the end of its day, and the most favourable of the client's time zone
and the asking office's applies: the client has until the last second of that day
wherever it ends latest. An answer is on time when it arrives by then."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


def zones_of(client_zone: str, office_zone: str | None) -> tuple[str, ...]:
    """The zones a request is judged in: the client's (their own, or the service's) and
    the office's that asked, once each."""
    service = settings.PASSAGE_DISPLAY_TIME_ZONE
    zones = [client_zone or service, office_zone or service]
    return tuple(dict.fromkeys(zones))


def due_instant(day: date, zones: tuple[str, ...]) -> datetime:
    """The last second of `day` in whichever of `zones` it ends latest."""
    return max(datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone)) for zone in zones)


def answered_on_time(due_on: date, zones: tuple[str, ...], at: datetime) -> bool:
    """Whether an answer at `at` came by the end of `due_on` in one of `zones`."""
    return at <= due_instant(due_on, zones)


def day_of(instant: datetime, zones: tuple[str, ...]) -> date:
    """The day whose end `instant` is in one of `zones` (relief gives the end of a day in
    the zone that favoured the client); else its day in the first zone."""
    for zone in zones:
        local = instant.astimezone(ZoneInfo(zone))
        if local.time() == time(23, 59, 59):
            return local.date()
    return instant.astimezone(ZoneInfo(zones[0])).date()
