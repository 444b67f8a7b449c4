"""PURE: deadlines as people and the law count them, and the relief an outage gives.

Business days and statutory holidays of Canada and each province (`business_days`),
deadlines at the end of a day in a stated time zone, and the rule that moves a client's
obligation when a part of Passage it needs was down (`relief`). Time is passed in; no
Django, no database: an analyst runs it on a register and a list of obligations.
"""

from passage.calendar.business_days import BusinessCalendar, end_of_day
from passage.calendar.relief import (
    Obligation,
    Outage,
    Relief,
    Thresholds,
    qualifies,
    relieve,
)

__all__ = [
    "BusinessCalendar",
    "Obligation",
    "Outage",
    "Relief",
    "Thresholds",
    "end_of_day",
    "qualifies",
    "relieve",
]
