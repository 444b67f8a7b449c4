"""What a printed form shows, as plain data (pure: no Django): its title, the answers in
words section by section, both languages side by side, and the texts of its PDF417
symbols. `passage.paper.layout` lays it out on pages; `passage.paper.document` makes it
from a form's JSON document."""

from dataclasses import dataclass

from passage.programs.flow import Text


@dataclass(frozen=True)
class Row:
    """One answer: the question's label in both languages and the answer in words. An
    answer of several lines (periods, an address) keeps them, one to a line."""

    label: Text
    value: str


@dataclass(frozen=True)
class Section:
    title: Text
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class PrintedForm:
    """A whole form, ready to lay out.

    `code` and `version` identify the form (`cit-grant-adult`, 1); `printed_at` is the ISO
    8601 time the document carries; `instructions` tell the client where to send it and
    that the symbols carry every answer; `symbols` are the PSG1 texts, in index order;
    `declaration`, when given, is what the client signs under, with lines to sign and date."""

    code: str
    version: int
    title: Text
    printed_at: str
    instructions: Text
    sections: tuple[Section, ...]
    symbols: tuple[str, ...]
    declaration: Text | None = None
