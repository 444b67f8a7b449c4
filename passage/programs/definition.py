"""A program's definition (`program.yaml`): what the program *is*.

Names, categories, service standard, whether it takes new applications, the documents
it asks for, the risk areas of its criteria, and how the demonstration data uses it.
Checking is strict, because a misspelt key that is silently ignored is a rule that
silently does not apply: unknown keys, missing keys, wrong types and duplicate keys are
all errors, reported together, each naming its file and key.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from passage.programs.letter_terms import LetterTerms, parse_letter_terms
from passage.programs.permanent_residence import PermanentResidence, parse_permanent_residence
from passage.rules.loader import Citation, RuleSetError, read_yaml

DEFINITION_FILE = "program.yaml"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_SERVICE_STANDARD_DAYS = 3650
# Stands for a key that is absent, which mapping() has already reported.
_MISSING = object()
# The parties a person who applies can become (see Program.submitter_role).
SUBMITTER_ROLES = ("applicant", "sponsor")


class CatalogueError(Exception):
    """One or more program files are not valid, or disagree; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the programs:"
        super().__init__("\n".join([heading, *(f"  - {problem}" for problem in problems)]))


@dataclass(frozen=True)
class Category:
    code: str
    name_en: str
    name_fr: str

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en


@dataclass(frozen=True)
class ChecklistItem:
    """One document a program asks for: a slug, a bilingual name and hint, required or not."""

    kind: str
    name_en: str
    name_fr: str
    hint_en: str
    hint_fr: str
    required: bool

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en

    def hint(self, language: str) -> str:
        return self.hint_fr if language == "fr" else self.hint_en


@dataclass(frozen=True)
class ServiceStandard:
    days: int
    published: bool
    reference: tuple[Citation, ...]


@dataclass(frozen=True)
class DemoProfile:
    """How the demonstration data draws the program's files: its share of the cases, the
    kinds of demo client who apply, and how often each processing step does not apply."""

    share: int = 10
    applicants: tuple[str, ...] = ()
    exempt_steps: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgramDefinition:
    code: str
    name_en: str
    name_fr: str
    categories: tuple[Category, ...]
    service_standard: ServiceStandard
    open_for_applications: bool
    source: str = field(compare=False)
    # Criterion id -> the risk area an officer needs a skill in when it does not pass.
    risk_areas: dict[str, str] = field(default_factory=dict)
    # Codes of the offices that may process the program; empty: any office.
    processing_offices: tuple[str, ...] = ()
    # The party the person who applies becomes: "applicant", or "sponsor" for a sponsorship.
    submitted_by: str = "applicant"
    # The documents the applicant uploads, in the order they are asked for.
    documents: tuple[ChecklistItem, ...] = ()
    demo: DemoProfile = DemoProfile()
    # What its decision letters say that is the program's own (the next steps, recourse).
    letters: LetterTerms | None = field(default=None, compare=False)
    # Who becomes a permanent resident when an application is approved, in which class
    # (None: the program does not lead to permanent residence).
    permanent_residence: PermanentResidence | None = field(default=None, compare=False)

    @property
    def category_codes(self) -> list[str]:
        return [category.code for category in self.categories]

    def program_fields(self) -> dict[str, Any]:
        """The values of the Program row this definition describes."""
        return {
            "name_en": self.name_en,
            "name_fr": self.name_fr,
            "service_standard_days": self.service_standard.days,
            "categories": self.category_codes,
            "is_open": self.open_for_applications,
            "risk_areas": dict(self.risk_areas),
            "processing_offices": list(self.processing_offices),
            "submitter_role": self.submitted_by,
        }


def parse_file(path: Path, *, shown: str, problems: list[str]) -> ProgramDefinition | None:
    """Read one definition file; add what is wrong with it to `problems`."""
    try:
        data = read_yaml(path)
    except RuleSetError as error:
        # read_yaml says `PATH:LINE: message`; the catalogue names files by `shown`.
        where, _, what = str(error).removeprefix(f"{path}:").partition(": ")
        problems.append(f"{shown}: line {where}: {_one_line(what)}")
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{shown}: cannot be read: {_one_line(str(error))}")
        return None
    before = len(problems)
    definition = parse_definition(data, shown=shown, folder=path.parent.name, problems=problems)
    return definition if len(problems) == before else None


def parse_definition(
    data: object, *, shown: str, folder: str, problems: list[str]
) -> ProgramDefinition | None:
    """Check the parsed YAML of one definition and build it; problems name `shown`."""
    check = _Checker(shown, problems)
    top = check.mapping(
        data,
        "",
        required={
            "code",
            "name",
            "categories",
            "service_standard",
            "open_for_applications",
            "letters",
        },
        optional={
            "risk_areas",
            "processing_offices",
            "documents",
            "submitted_by",
            "demo",
            "permanent_residence",
        },
    )
    if top is None:
        return None
    code = check.slug(top.get("code", _MISSING), "code")
    if code is not None and code != folder:
        check.problem("code", f"is {code!r} but the folder is {folder!r}; they must match")
    name = check.bilingual(top.get("name", _MISSING), "name")
    categories = check.categories(top.get("categories", _MISSING), "categories")
    standard = check.service_standard(top.get("service_standard", _MISSING), "service_standard")
    is_open = check.boolean(top.get("open_for_applications", _MISSING), "open_for_applications")
    risk_areas = check.slug_mapping(top.get("risk_areas", {}), "risk_areas")
    offices = check.slug_list(top.get("processing_offices", []), "processing_offices")
    documents = check.checklist(top.get("documents", []), "documents")
    demo = check.demo(top.get("demo", {}), "demo")
    letters = parse_letter_terms(check, top.get("letters", _MISSING), "letters")
    residence = None
    if "permanent_residence" in top:
        residence = parse_permanent_residence(
            check, top["permanent_residence"], "permanent_residence"
        )
    submitted_by = top.get("submitted_by", "applicant")
    if submitted_by not in SUBMITTER_ROLES:
        check.problem(
            "submitted_by", f"must be one of {', '.join(SUBMITTER_ROLES)}, not {submitted_by!r}"
        )
        submitted_by = "applicant"
    if (
        code is None
        or name is None
        or categories is None
        or standard is None
        or is_open is None
        or letters is None
    ):
        return None
    return ProgramDefinition(
        code=code,
        name_en=name[0],
        name_fr=name[1],
        categories=categories,
        service_standard=standard,
        open_for_applications=is_open,
        source=shown,
        risk_areas=risk_areas,
        processing_offices=offices,
        documents=documents,
        submitted_by=submitted_by,
        demo=demo,
        letters=letters,
        permanent_residence=residence,
    )


class _Checker:
    """Type and key checks that record problems as "file: key: what is wrong". A value
    that is `_MISSING` gives None without a second report: mapping() named it."""

    # For the modules beside this one that check a part of the definition.
    MISSING = _MISSING

    def __init__(self, shown: str, problems: list[str]) -> None:
        self.shown = shown
        self.problems = problems

    def problem(self, key: str, message: str) -> None:
        where = f"{self.shown}: {key}" if key else self.shown
        self.problems.append(f"{where}: {message}")

    def mapping(
        self, value: object, key: str, *, required: set[str], optional: set[str]
    ) -> dict[str, Any] | None:
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.problem(key, f"must be a mapping of keys to values, not {_kind(value)}")
            return None
        allowed = required | optional
        for name in value:
            if not isinstance(name, str) or name not in allowed:
                self.problem(
                    _join(key, str(name)),
                    f"unknown key (allowed here: {', '.join(sorted(allowed))})",
                )
        for name in sorted(required - set(value)):
            self.problem(_join(key, name), "is missing")
        return value

    def text(self, value: object, key: str, *, max_length: int = 200) -> str | None:
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"must be non-empty text, not {_kind(value)}")
            return None
        if len(value) > max_length:
            self.problem(key, f"must be at most {max_length} characters")
            return None
        return value.strip()

    def slug(self, value: object, key: str) -> str | None:
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not _SLUG.fullmatch(value) or len(value) > 40:
            self.problem(
                key, f"must be lower-case words joined by hyphens, such as 'pr-card', not {value!r}"
            )
            return None
        return value

    def slug_mapping(self, value: object, key: str) -> dict[str, str]:
        if not isinstance(value, dict):
            self.problem(key, f"must be a mapping of ids to slugs, not {_kind(value)}")
            return {}
        pairs = {name: self.slug(area, _join(key, str(name))) for name, area in value.items()}
        return {str(name): area for name, area in pairs.items() if area is not None}

    def slug_list(self, value: object, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.problem(key, f"must be a list of codes, not {_kind(value)}")
            return ()
        slugs = [self.slug(item, f"{key}[{n}]") for n, item in enumerate(value)]
        return tuple(slug for slug in slugs if slug is not None)

    def boolean(self, value: object, key: str) -> bool | None:
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_kind(value)}")
            return None
        return value

    def bilingual(
        self, value: object, key: str, *, max_length: int = 200
    ) -> tuple[str, str] | None:
        names = self.mapping(value, key, required={"en", "fr"}, optional=set())
        if names is None:
            return None
        english = self.text(names.get("en", _MISSING), _join(key, "en"), max_length=max_length)
        french = self.text(names.get("fr", _MISSING), _join(key, "fr"), max_length=max_length)
        if english is None or french is None:
            return None
        return english, french

    def checklist(self, value: object, key: str) -> tuple[ChecklistItem, ...]:
        if not isinstance(value, list):
            self.problem(key, f"must be a list of documents (use [] for none), not {_kind(value)}")
            return ()
        items: list[ChecklistItem] = []
        seen: set[str] = set()
        for index, entry in enumerate(value):
            where = f"{key}[{index}]"
            item = self.mapping(
                entry, where, required={"kind", "name", "required"}, optional={"hint"}
            )
            if item is None:
                continue
            kind = self.slug(item.get("kind", _MISSING), _join(where, "kind"))
            if kind is not None and kind in seen:
                self.problem(_join(where, "kind"), f"{kind!r} is listed twice")
                kind = None
            name = self.bilingual(item.get("name", _MISSING), _join(where, "name"))
            hint = (
                self.bilingual(item["hint"], _join(where, "hint")) if "hint" in item else ("", "")
            )
            required = self.boolean(item.get("required", _MISSING), _join(where, "required"))
            if kind is None or name is None or hint is None or required is None:
                continue
            seen.add(kind)
            items.append(ChecklistItem(kind, name[0], name[1], hint[0], hint[1], required))
        return tuple(items)

    def demo(self, value: object, key: str) -> DemoProfile:
        entry = self.mapping(
            value, key, required=set(), optional={"share", "applicants", "exempt_steps"}
        )
        if entry is None:
            return DemoProfile()
        share = entry.get("share", DemoProfile.share)
        if isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= 1000:
            self.problem(
                _join(key, "share"), f"must be a whole number from 0 to 1000, not {_kind(share)}"
            )
            share = DemoProfile.share
        applicants = self.slug_list(entry.get("applicants", []), _join(key, "applicants"))
        odds = entry.get("exempt_steps", {})
        exempt: dict[str, float] = {}
        if not isinstance(odds, dict):
            self.problem(
                _join(key, "exempt_steps"), f"must map steps to chances, not {_kind(odds)}"
            )
        else:
            for step, chance in odds.items():
                where = _join(_join(key, "exempt_steps"), str(step))
                if (
                    isinstance(chance, bool)
                    or not isinstance(chance, int | float)
                    or not 0 <= chance <= 1
                ):
                    self.problem(where, f"must be a chance from 0 to 1, not {_kind(chance)}")
                elif self.slug(step, where) is not None:
                    exempt[str(step)] = float(chance)
        return DemoProfile(share=share, applicants=applicants, exempt_steps=exempt)

    def categories(self, value: object, key: str) -> tuple[Category, ...] | None:
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.problem(key, f"must be a list (use [] for none), not {_kind(value)}")
            return None
        categories: list[Category] = []
        seen: set[str] = set()
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            entry = self.mapping(item, where, required={"code", "name"}, optional=set())
            if entry is None:
                continue
            code = self.slug(entry.get("code", _MISSING), _join(where, "code"))
            name = self.bilingual(entry.get("name", _MISSING), _join(where, "name"))
            if code is not None and code in seen:
                self.problem(_join(where, "code"), f"{code!r} is listed twice")
                continue
            if code is not None and name is not None:
                seen.add(code)
                categories.append(Category(code=code, name_en=name[0], name_fr=name[1]))
        return tuple(categories) if len(categories) == len(value) else None

    def service_standard(self, value: object, key: str) -> ServiceStandard | None:
        entry = self.mapping(
            value, key, required={"days", "published", "reference"}, optional=set()
        )
        if entry is None:
            return None
        days = entry.get("days", _MISSING)
        if days is _MISSING:
            days = None
        elif isinstance(days, bool) or not isinstance(days, int):
            self.problem(_join(key, "days"), f"must be a whole number of days, not {_kind(days)}")
            days = None
        elif not 1 <= days <= _MAX_SERVICE_STANDARD_DAYS:
            self.problem(_join(key, "days"), f"must be between 1 and {_MAX_SERVICE_STANDARD_DAYS}")
            days = None
        published = self.boolean(entry.get("published", _MISSING), _join(key, "published"))
        reference = self.citations(entry.get("reference", _MISSING), _join(key, "reference"))
        if published and reference is not None and not reference:
            self.problem(_join(key, "reference"), "a published standard needs its citation")
            reference = None
        if days is None or published is None or reference is None:
            return None
        return ServiceStandard(days=days, published=published, reference=reference)

    def citations(self, value: object, key: str) -> tuple[Citation, ...] | None:
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.problem(key, f"must be a list of {{title, href}}, not {_kind(value)}")
            return None
        citations: list[Citation] = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            entry = self.mapping(item, where, required={"title", "href"}, optional=set())
            if entry is None:
                continue
            title = self.text(entry.get("title", _MISSING), _join(where, "title"))
            href = self.text(entry.get("href", _MISSING), _join(where, "href"), max_length=500)
            if href is not None and not href.startswith(("https://", "http://")):
                self.problem(_join(where, "href"), "must be a web address starting with https://")
                href = None
            if title is not None and href is not None:
                citations.append(Citation(title=title, href=href))
        return tuple(citations) if len(citations) == len(value) else None


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
