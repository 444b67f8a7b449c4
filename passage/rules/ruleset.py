"""What a loaded ruleset is: its criteria, parameters, tiering and citations as data.

Versioning: a ruleset is named `"<program>@<effective>"`, where `effective` is
the date the file declares at its top (the day from which this text of the rules
is the one in force; parameter values keep their own dates inside it). A new
version of the law is a new `effective` date. `RuleSet.content_hash` (sha256 of
the file, first 12 hex digits) tells two edits of the same version apart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from passage.rules.expressions import Node, ParameterValues

FACT_TYPES = (
    "date",
    "number",
    "int",
    "bool",
    "string",
    "country",
    "periods",
    "credited_periods",
    "years",
)
"""Fact types. `periods` is a list of `{from: date, to: date}`, `credited_periods`
a list of `{from: date, to: date, credited: bool}`, `years` a list of calendar years."""
RESULTS = ("pass", "fail", "unknown")
LANGUAGES = ("en", "fr")
"""The languages every text shown to people is written in; English is the interchange's."""


class RuleSetError(ValueError):
    """A ruleset file that cannot be loaded; the message starts with `FILE:LINE:`.
    Where several problems are found together (texts not in both languages), `problems`
    lists each, and the message is them one a line."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems) if problems else [message]


@dataclass(frozen=True)
class Citation:
    """A source of the law or policy a rule applies: a document and, within it, a section.
    `title` and `section` are English (the interchange cites in English); `title_fr` and
    `section_fr` are their French."""

    title: str
    href: str
    section: str = ""
    title_fr: str = ""
    section_fr: str = ""

    @property
    def heading(self) -> str:
        """The title with its section, as a reader sees it."""
        return f"{self.title} ({self.section})" if self.section else self.title

    def heading_in(self, language: str) -> str:
        """The heading in `language` ("en" or "fr"); English where no French is known."""
        if language != "fr" or not self.title_fr:
            return self.heading
        section = self.section_fr or self.section
        return f"{self.title_fr} ({section})" if section else self.title_fr

    def as_dict(self) -> dict[str, str]:
        """The citation as structured data: title (with section) in English and in French,
        and the address apart."""
        return {"title": self.heading, "title_fr": self.heading_in("fr"), "href": self.href}

    def __str__(self) -> str:
        return f"{self.heading}, {self.href}" if self.href else self.heading


@dataclass(frozen=True)
class Template:
    """A detail text whose `{expression}` parts are filled with the values used."""

    parts: tuple[str | Node, ...]


@dataclass(frozen=True)
class Criterion:
    id: str
    label: dict[str, str]
    when: Node
    # The English detail: the interchange's, and what `details["en"]` holds.
    detail: Template
    citation: Citation
    applies_to: tuple[str, ...] | None = None
    # The detail as people read it, by language ("en", "fr").
    details: dict[str, Template] = field(default_factory=dict)

    def detail_in(self, language: str) -> Template:
        """The detail's template in `language`, or the English one."""
        return self.details.get(language, self.detail)


def applies(applies_to: tuple[str, ...] | None, category: str | None) -> bool:
    """Whether a rule limited to `applies_to` categories applies to a line of `category`.
    A line without a category (where the program does not require one) meets every rule:
    nothing says the rule is not for it."""
    return applies_to is None or category is None or category in applies_to


@dataclass(frozen=True)
class PullOut:
    """A rule that sends a file to an officer at a given tier even when every criterion passes."""

    id: str
    label: dict[str, str]
    when: Node
    tier: int
    applies_to: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Tiering:
    on_fail: int = 3
    on_unknown: int = 2
    pull_out: tuple[PullOut, ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: ParameterValues
    references: tuple[Citation, ...]


@dataclass(frozen=True)
class RuleSet:
    program: str
    effective: datetime.date
    as_of: str
    categories: tuple[str, ...]
    facts: dict[str, str]
    parameters: dict[str, Parameter]
    criteria: tuple[Criterion, ...]
    tiering: Tiering
    content_hash: str
    source: str
    # Whether a line must name its category (the interchange contract requires one only
    # where the program's section lists categories); otherwise a line may leave it out.
    category_required: bool = False
    # What each fact is, by language ("en", "fr"), for the people who read the facts.
    fact_descriptions: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """The `ruleset` field of a result line."""
        return f"{self.program}@{self.effective.isoformat()}"

    @property
    def parameter_values(self) -> dict[str, ParameterValues]:
        return {name: p.values for name, p in self.parameters.items()}
