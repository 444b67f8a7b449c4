"""Canada's provinces and territories and the first letters of their postal codes, so
that a mailing address in Canada is checked before a card is mailed to it.

Source: Canada Post, "Addressing guidelines", postal code format and forward sortation
area first letters (https://www.canadapost-postescanada.ca/cpc/en/support/kb/sending/
general-information/postal-code-and-address-guidelines). A postal code is "A1A 1A1";
D, F, I, O, Q and U are never used, and W and Z never begin one."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Province:
    code: str
    name: Promise
    first_letters: str


PROVINCES = (
    Province("AB", _("Alberta"), "T"),
    Province("BC", _("British Columbia"), "V"),
    Province("MB", _("Manitoba"), "R"),
    Province("NB", _("New Brunswick"), "E"),
    Province("NL", _("Newfoundland and Labrador"), "A"),
    Province("NS", _("Nova Scotia"), "B"),
    Province("NT", _("Northwest Territories"), "X"),
    Province("NU", _("Nunavut"), "X"),
    Province("ON", _("Ontario"), "KLMNP"),
    Province("PE", _("Prince Edward Island"), "C"),
    Province("QC", _("Quebec"), "GHJ"),
    Province("SK", _("Saskatchewan"), "S"),
    Province("YT", _("Yukon"), "Y"),
)
BY_CODE = {province.code: province for province in PROVINCES}

_POSTAL_CODE = re.compile(
    r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]"
)


def normalise_postal_code(value: str) -> str | None:
    """The postal code written "A1A 1A1", or None when it is not one."""
    compact = re.sub(r"[\s-]", "", value.upper())
    if not _POSTAL_CODE.fullmatch(compact):
        return None
    return f"{compact[:3]} {compact[3:]}"


def postal_code_fits(province_code: str, postal_code: str) -> bool:
    """Whether a (normalised) postal code begins with one of the province's letters."""
    province = BY_CODE.get(province_code)
    return province is not None and postal_code[:1] in province.first_letters
