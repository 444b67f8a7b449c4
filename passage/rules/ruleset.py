"""What a loaded ruleset is: its criteria, parameters, tiering and citations as data.

Versioning: a ruleset is named `"<program>@<effective>"`, where `effective` is
the date the file declares at its top (the day from which this text of the rules
is the one in force; parameter values keep their own dates inside it). A new
version of the law is a new `effective` date. `RuleSet.content_hash` (sha256 of
the file, first 12 hex digits) tells two edits of the same version apart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


class RuleSetError(ValueError):
    """A ruleset file that cannot be loaded; the message starts with `FILE:LINE:`."""


@dataclass(frozen=True)
class Citation:
    """A source of the law or policy a rule applies: a document and, within it, a section."""

    title: str
    href: str
    section: str = ""

    @property
    def heading(self) -> str:
        """The title with its section, as a reader sees it."""
        return f"{self.title} ({self.section})" if self.section else self.title

    def as_dict(self) -> dict[str, str]:
        """The citation as structured data: title (with section) and address apart."""
        return {"title": self.heading, "href": self.href}

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
    detail: Template
    citation: Citation
    applies_to: tuple[str, ...] | None = None


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

    @property
    def version(self) -> str:
        """The `ruleset` field of a result line."""
        return f"{self.program}@{self.effective.isoformat()}"

    @property
    def parameter_values(self) -> dict[str, ParameterValues]:
        return {name: p.values for name, p in self.parameters.items()}
