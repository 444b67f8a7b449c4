"""Who becomes a permanent resident when a program's application is approved
(`program.yaml`, `permanent_residence:`), and in which immigration class, so that the
confirmation of permanent residence knows whom to invite without code per program.

The principal applicant is either the person who applied (`principal: applicant`) or a
person the answers name (`principal:` with the answer ids of their names, date of birth,
email address and whether they live in Canada); dependants are the rows of a `people`
answer. The principal applicant acts for the dependants in the portal.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passage.programs.definition import _Checker

_ANSWER_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")
PRINCIPAL_FIELDS = ("given_names", "family_name", "date_of_birth", "email", "in_canada")


@dataclass(frozen=True)
class PrincipalAnswers:
    """The answer ids that name the principal applicant when it is not the person who
    applied (a sponsored spouse, for one)."""

    given_names: str
    family_name: str
    date_of_birth: str
    email: str
    in_canada: str


@dataclass(frozen=True)
class PermanentResidence:
    """What an approval makes of a program's people: their class, printed on the COPR in
    both languages; the principal applicant (None: the person who applied); and the
    answer that lists the dependants who come with them ("" when none can)."""

    class_en: str
    class_fr: str
    principal: PrincipalAnswers | None
    dependants: str

    def class_name(self, language: str) -> str:
        return self.class_fr if language == "fr" else self.class_en


def parse_permanent_residence(
    check: "_Checker", value: object, key: str
) -> PermanentResidence | None:
    """Check the `permanent_residence:` mapping of a definition; problems go to `check`."""
    entry = check.mapping(value, key, required={"class", "principal"}, optional={"dependants"})
    if entry is None:
        return None
    class_name = check.bilingual(entry.get("class", check.MISSING), f"{key}.class")
    principal = _principal(check, entry.get("principal", check.MISSING), f"{key}.principal")
    dependants = _answer_id(check, entry.get("dependants", ""), f"{key}.dependants")
    if class_name is None or principal is None or dependants is None:
        return None
    return PermanentResidence(
        class_en=class_name[0],
        class_fr=class_name[1],
        principal=principal if isinstance(principal, PrincipalAnswers) else None,
        dependants=dependants,
    )


def _principal(check: "_Checker", value: object, key: str) -> PrincipalAnswers | str | None:
    if value == "applicant":
        return "applicant"
    answers = check.mapping(value, key, required=set(PRINCIPAL_FIELDS), optional=set())
    if answers is None:
        return None
    ids = {name: _answer_id(check, answers.get(name), f"{key}.{name}") for name in PRINCIPAL_FIELDS}
    if any(not answer for answer in ids.values()):
        return None
    return PrincipalAnswers(**{name: str(answer) for name, answer in ids.items()})


def _answer_id(check: "_Checker", value: object, key: str) -> str | None:
    """An answer id of questions.yaml ("" allowed only where the key is optional)."""
    if value == "" and key.endswith(".dependants"):
        return ""
    if not isinstance(value, str) or not _ANSWER_ID.fullmatch(value):
        check.problem(key, f"must be the id of an answer, such as 'given_name', not {value!r}")
        return None
    return value
