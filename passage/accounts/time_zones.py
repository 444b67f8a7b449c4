"""The time zones a person can choose for the times Passage shows them: Canada's, from
east to west, then a few where many clients live. Each is named in words, in the
reader's language ("Eastern time (Toronto)", "heure de l'Est (Toronto)"), never by its
name in the tz database."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A zone in words, as a time is followed by it: "8:31 p.m. (Eastern time)".
ZONE_NAMES: dict[str, "StrOrPromise"] = {
    "America/St_Johns": _("Newfoundland time"),
    "America/Halifax": _("Atlantic time"),
    "America/Moncton": _("Atlantic time"),
    "America/Toronto": _("Eastern time"),
    "America/Montreal": _("Eastern time"),
    "America/Winnipeg": _("Central time"),
    "America/Regina": _("Saskatchewan time"),
    "America/Edmonton": _("Mountain time"),
    "America/Vancouver": _("Pacific time"),
    "America/Whitehorse": _("Yukon time"),
    "Europe/London": _("UK time"),
    "Europe/Paris": _("Central European time"),
    "Asia/Kolkata": _("India time"),
    "Asia/Manila": _("Philippine time"),
    "Asia/Shanghai": _("China time"),
    "UTC": _("Coordinated Universal Time (UTC)"),
}

# The choices of the account page: the zone in words and a city in it, so that a person
# who does not know their zone's name finds it by a city.
CHOICES: list[tuple[str, "StrOrPromise"]] = [
    ("America/St_Johns", _("Newfoundland time (St. John's)")),
    ("America/Halifax", _("Atlantic time (Halifax)")),
    ("America/Toronto", _("Eastern time (Toronto)")),
    ("America/Winnipeg", _("Central time (Winnipeg)")),
    ("America/Regina", _("Saskatchewan time (Regina)")),
    ("America/Edmonton", _("Mountain time (Edmonton)")),
    ("America/Vancouver", _("Pacific time (Vancouver)")),
    ("America/Whitehorse", _("Yukon time (Whitehorse)")),
    ("Europe/London", _("UK time (London)")),
    ("Europe/Paris", _("Central European time (Paris)")),
    ("Asia/Kolkata", _("India time (New Delhi)")),
    ("Asia/Manila", _("Philippine time (Manila)")),
    ("Asia/Shanghai", _("China time (Beijing)")),
    ("UTC", _("Coordinated Universal Time (UTC)")),
]

ZONES = frozenset(zone for zone, _label in CHOICES)


def zone_in_words(zone: str) -> str:
    """A zone in words in the active language ("Eastern time"); any other zone by its name
    in the tz database."""
    return str(ZONE_NAMES.get(zone, zone))


def service_zone() -> str:
    """The zone of the service's times, for people who chose none."""
    return str(settings.PASSAGE_DISPLAY_TIME_ZONE)
