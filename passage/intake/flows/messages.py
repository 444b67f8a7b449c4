"""The words of the flow engine's error codes and answers, in the reader's language.

Messages say what to do, GOV.UK style: "Enter your date of birth", not "Invalid input".
"""

import datetime
import re
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from passage.intake.flows.countries import COUNTRIES
from passage.intake.flows.engine import FieldError
from passage.languages import active_language
from passage.programs.questions import Flow, Question

# The examples a hint may give, found in it so that an error's example is the hint's.
EXAMPLE_WORD = re.compile(r"\b(?:for example|par exemple)\b", re.IGNORECASE)
DATE_EXAMPLE = re.compile(r"\b\d{1,2} \d{1,2} \d{4}\b")
YEARS_EXAMPLE = re.compile(r"\b\d{4}(?:, \d{4})+\b")
NUMBER_EXAMPLE = re.compile(r"\d(?:[\d\u00a0\u202f ,.]*\d)?")


def hint_example(question: Question, pattern: re.Pattern[str], default: str) -> str:
    """The example the question's hint gives of an answer ("For example, 27 3 1985"),
    or `default` when the hint gives none: an error never shows another example than
    the hint next to the field."""
    hint = question.hint.get(active_language()) if question.hint else ""
    parts = EXAMPLE_WORD.split(hint or "", maxsplit=1)
    found = pattern.search(parts[1]) if len(parts) == 2 else None
    return found.group(0) if found else default


def error_message(flow: Flow, question: Question, error: FieldError) -> str:
    """One sentence that tells the person how to put the answer right."""
    label = question.label.get(active_language())
    params = error.params
    code = error.code
    if code == "required":
        if question.type in ("choice", "country"):
            return _("Select an answer for “%(label)s”") % {"label": label}
        return _("Enter an answer for “%(label)s”") % {"label": label}
    if code == "too_long":
        return _("“%(label)s” must be %(limit)s characters or fewer") % {
            "label": label,
            "limit": params["limit"],
        }
    if code == "control_character":
        return _(
            "“%(label)s” held an invisible control character, which cannot be saved: "
            "check the answer and send it again"
        ) % {"label": label}
    if code == "email":
        return _("Enter an email address in the correct format, like name@example.com")
    if code == "choose":
        return _("Select one of the options for “%(label)s”") % {"label": label}
    if code == "country":
        return _("Select a country from the list")
    if code == "yes_no":
        return _("Select yes or no for “%(label)s”") % {"label": label}
    if code == "number":
        return _("“%(label)s” must be a number, like %(example)s") % {
            "label": label,
            "example": hint_example(question, NUMBER_EXAMPLE, "2500"),
        }
    if code == "whole_number":
        return _("“%(label)s” must be a whole number") % {"label": label}
    if code == "minimum":
        return _("“%(label)s” must be %(limit)s or more") % {
            "label": label,
            "limit": _number(params["limit"]),
        }
    if code == "maximum":
        return _("“%(label)s” must be %(limit)s or less") % {
            "label": label,
            "limit": _number(params["limit"]),
        }
    if code == "years":
        return _(
            "Enter years of four digits separated by commas, like %(example)s, up to %(latest)s"
        ) % {
            "example": hint_example(question, YEARS_EXAMPLE, "2021, 2022, 2023"),
            "latest": params["latest"],
        }
    if code == "date_missing_day":
        return _("“%(label)s” must include a day") % {"label": label}
    if code == "date_missing_month":
        return _("“%(label)s” must include a month") % {"label": label}
    if code == "date_missing_year":
        return _("“%(label)s” must include a year") % {"label": label}
    if code == "date_real":
        return _("“%(label)s” must be a real date, like %(example)s") % {
            "label": label,
            "example": hint_example(question, DATE_EXAMPLE, "27 3 2007"),
        }
    if code == "date_past":
        return _("“%(label)s” must be in the past") % {"label": label}
    if code == "date_future":
        return _("“%(label)s” must be in the future") % {"label": label}
    if code == "date_after":
        other = flow.question(params["other"])
        return _("“%(label)s” must be after %(date)s (“%(other)s”)") % {
            "label": label,
            "date": format_date(params["date"]),
            "other": other.label.get(active_language()) if other else params["other"],
        }
    if code == "period_missing_from":
        return _("Period %(row)s: enter the date it started") % {"row": params["row"]}
    if code == "period_missing_to":
        return _("Period %(row)s: enter the date it ended") % {"row": params["row"]}
    if code == "period_real":
        return _("Period %(row)s: enter real dates, like 27 3 2007") % {"row": params["row"]}
    if code == "period_order":
        return _("Period %(row)s: the end must be on or after the start") % {"row": params["row"]}
    if code == "period_future":
        return _("Period %(row)s: the end must be today or earlier") % {"row": params["row"]}
    if code == "periods_required":
        return _("Enter at least one period for “%(label)s”") % {"label": label}
    if code.startswith(("person_", "people_")):
        return _people_message(question, error)
    if code == "period_overlap":
        return _("Periods must not overlap: check the dates of “%(label)s”") % {"label": label}
    return _("Check your answer to “%(label)s”") % {"label": label}


def _people_message(question: Question, error: FieldError) -> str:
    """The error of one row of a people question starts with the row ("Child 2: …")."""
    code = error.code
    params = error.params
    if code == "people_required":
        return _("Enter the details of at least one person for “%(label)s”") % {
            "label": question.label.get(active_language())
        }
    if code == "people_too_many":
        return _("“%(label)s” takes %(limit)s people at most") % {
            "label": question.label.get(active_language()),
            "limit": params["limit"],
        }
    row = row_name(question, params["row"])
    texts = {
        "person_given_name": _("%(row)s: enter their given names"),
        "person_family_name": _("%(row)s: enter their family name"),
        "person_date_missing": _("%(row)s: enter their date of birth"),
        "person_date_missing_day": _("%(row)s: the date of birth must include a day"),
        "person_date_missing_month": _("%(row)s: the date of birth must include a month"),
        "person_date_missing_year": _("%(row)s: the date of birth must include a year"),
        "person_date_real": _("%(row)s: the date of birth must be a real date, like 27 3 2015"),
        "person_date_past": _("%(row)s: the date of birth must be in the past"),
        "person_relationship": _("%(row)s: select the relationship"),
    }
    if code == "person_too_long":
        return _("%(row)s: the names must be %(limit)s characters or fewer") % {
            "row": row,
            "limit": params["limit"],
        }
    return texts.get(code, _("%(row)s: check the answers")) % {"row": row}


def row_name(question: Question, number: int) -> str:
    """The name of row `number` (from 1) of a people question, like "Child 2"."""
    noun = question.row.get(active_language()) if question.row else ""
    return f"{noun} {number}".strip()


def display_answer(question: Question, value: Any) -> str:
    """An answer as the check-your-answers page shows it."""
    language = active_language()
    if value is None or value == "" or value == []:
        return _("Not given")
    if question.type == "date":
        return format_date(datetime.date.fromisoformat(value))
    if question.type == "yes-no":
        return _("Yes") if value else _("No")
    if question.type == "choice":
        return question.option_label(value, language) or str(value)
    if question.type == "country":
        names = COUNTRIES.get(value)
        return (names[1] if language == "fr" else names[0]) if names else str(value)
    if question.type == "years":
        return ", ".join(str(year) for year in value)
    if question.type == "number":
        return _number(value)
    if question.type == "people":
        return "\n".join(_person_line(question, person, language) for person in value)
    if question.type == "periods":
        lines = []
        for period in value:
            line = _("%(start)s to %(end)s") % {
                "start": format_date(datetime.date.fromisoformat(period["from"])),
                "end": format_date(datetime.date.fromisoformat(period["to"])),
            }
            if period.get("credited"):
                line += " " + _("(counts as time in Canada)")
            lines.append(line)
        return "\n".join(lines)
    return str(value)


def _person_line(question: Question, person: dict[str, Any], language: str) -> str:
    line = _("%(given_name)s %(family_name)s, born %(date)s") % {
        "given_name": person["given_name"],
        "family_name": person["family_name"],
        "date": format_date(datetime.date.fromisoformat(person["date_of_birth"])),
    }
    relationship = question.option_label(person.get("relationship"), language)
    return f"{line} ({relationship})" if relationship else line


def format_date(day: datetime.date) -> str:
    """A day as people read it: "1 January 2027", "1er janvier 2027" (French writes the
    first of the month as an ordinal)."""
    text = formats.date_format(day, "j F Y")
    if day.day == 1 and active_language() == "fr":
        return "1er" + text[1:]
    return text


def country_choices() -> list[tuple[str, str]]:
    index = 1 if active_language() == "fr" else 0
    return sorted(
        ((code, names[index]) for code, names in COUNTRIES.items()), key=lambda pair: pair[1]
    )


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, force_grouping=True)
