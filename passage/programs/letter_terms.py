"""What a program's decision letters say that is the program's own (`program.yaml`,
`letters:`): what happens after an approval, and what a refused client can do, within how
many days, under which law.

The wording common to every program (the reasons, the legal grounds, how to ask a
question) is in the letter templates; a program says only what differs by program, in
both languages, so that no letter reaches a client half translated.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from passage.programs.definition import _Checker

# The longest a recourse period can be, in days: a typo of 600 for 60 would otherwise
# reach clients as a real deadline.
_MAX_RECOURSE_DAYS = 365
_MAX_TEXT = 600


@dataclass(frozen=True)
class Recourse:
    """What a refused client can do, and the law that gives them `days` to do it, counted
    from the day they receive the decision."""

    days: int
    what_en: str
    what_fr: str
    law_en: str
    law_fr: str
    href_en: str
    href_fr: str

    def what(self, language: str) -> str:
        return self.what_fr if language == "fr" else self.what_en

    def law(self, language: str) -> str:
        return self.law_fr if language == "fr" else self.law_en

    def href(self, language: str) -> str:
        return self.href_fr if language == "fr" else self.href_en


@dataclass(frozen=True)
class LetterTerms:
    """The program's part of its decision letters."""

    approved_next_en: str
    approved_next_fr: str
    recourse: Recourse

    def approved_next(self, language: str) -> str:
        return self.approved_next_fr if language == "fr" else self.approved_next_en


def parse_letter_terms(check: "_Checker", value: object, key: str) -> LetterTerms | None:
    """Check the `letters:` mapping of a definition; problems go to `check`."""
    entry = check.mapping(value, key, required={"approved", "refused"}, optional=set())
    if entry is None:
        return None
    approved = check.bilingual(
        entry.get("approved", check.MISSING), f"{key}.approved", max_length=_MAX_TEXT
    )
    recourse = _recourse(check, entry.get("refused", check.MISSING), f"{key}.refused")
    if approved is None or recourse is None:
        return None
    return LetterTerms(
        approved_next_en=approved[0], approved_next_fr=approved[1], recourse=recourse
    )


def _recourse(check: "_Checker", value: object, key: str) -> Recourse | None:
    entry = check.mapping(value, key, required={"days", "recourse", "law"}, optional=set())
    if entry is None:
        return None
    days: Any = entry.get("days", check.MISSING)
    if days is check.MISSING:
        days = None
    elif isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= _MAX_RECOURSE_DAYS:
        check.problem(
            f"{key}.days", f"must be a whole number of days from 1 to {_MAX_RECOURSE_DAYS}"
        )
        days = None
    what = check.bilingual(
        entry.get("recourse", check.MISSING), f"{key}.recourse", max_length=_MAX_TEXT
    )
    law = _law(check, entry.get("law", check.MISSING), f"{key}.law")
    if days is None or what is None or law is None:
        return None
    return Recourse(days, what[0], what[1], *law)


def _law(check: "_Checker", value: object, key: str) -> tuple[str, str, str, str] | None:
    """The provision's name in each language and the address of each language's text."""
    entry = check.mapping(value, key, required={"en", "fr", "href"}, optional=set())
    if entry is None:
        return None
    english = check.text(entry.get("en", check.MISSING), f"{key}.en")
    french = check.text(entry.get("fr", check.MISSING), f"{key}.fr")
    href = check.bilingual(entry.get("href", check.MISSING), f"{key}.href", max_length=500)
    if href is not None and not all(h.startswith("https://") for h in href):
        check.problem(f"{key}.href", "must be web addresses starting with https://")
        href = None
    if english is None or french is None or href is None:
        return None
    return english, french, href[0], href[1]
