"""Program definitions as data: read `programs/<code>/program.yaml`, check every key,
and keep the Program rows in step with the files.

A definition file holds what a program *is* (names, categories, service standard,
whether it takes new applications); its rules live beside it in other files. Checking
is strict, because a misspelt key that is silently ignored is a rule that silently
does not apply: unknown keys, missing keys, wrong types and duplicate keys are all
errors, reported together, each naming its file and key.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from passage.intake.models import Program
from passage.rules.loader import Citation

DEFINITION_FILE = "program.yaml"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MAX_SERVICE_STANDARD_DAYS = 3650
# Stands for a key that is absent, which mapping() has already reported.
_MISSING = object()
# The parties a person who applies can become (see Program.submitter_role).
SUBMITTER_ROLES = ("applicant", "sponsor")


class CatalogueError(Exception):
    """One or more definition files are not valid; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the program definitions:"
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


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def default_directory() -> Path:
    """`programs/` at the top of the project."""
    return Path(settings.PASSAGE_PROGRAMS_DIR)


def read_definitions(directory: Path | None = None) -> list[ProgramDefinition]:
    """Every program definition under `directory`, sorted by code, or a CatalogueError
    that lists every problem found in every file."""
    directory = directory or default_directory()
    if not directory.is_dir():
        raise CatalogueError([f"{directory.name}: the programs folder does not exist"])
    problems: list[str] = []
    definitions: list[ProgramDefinition] = []
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        path = folder / DEFINITION_FILE
        shown = f"{directory.name}/{folder.name}/{DEFINITION_FILE}"
        if not path.is_file():
            problems.append(f"{shown}: the file is missing")
            continue
        definition = parse_file(path, shown=shown, problems=problems)
        if definition is not None:
            definitions.append(definition)
    if not definitions and not problems:
        problems.append(f"{directory.name}: no program definitions found")
    if problems:
        raise CatalogueError(problems)
    return definitions


def parse_file(path: Path, *, shown: str, problems: list[str]) -> ProgramDefinition | None:
    """Read one definition file; add what is wrong with it to `problems`."""
    try:
        # _StrictLoader is a SafeLoader: no Python objects can be built from the file.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = error.problem or error.context or "not valid YAML"
        problems.append(f"{shown}: {where}{_one_line(what)}")
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
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
        required={"code", "name", "categories", "service_standard", "open_for_applications"},
        optional={"risk_areas", "processing_offices", "documents", "submitted_by"},
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
    submitted_by = top.get("submitted_by", "applicant")
    if submitted_by not in SUBMITTER_ROLES:
        check.problem(
            "submitted_by", f"must be one of {', '.join(SUBMITTER_ROLES)}, not {submitted_by!r}"
        )
        submitted_by = "applicant"
    if code is None or name is None or categories is None or standard is None or is_open is None:
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
    )


def document_checklist(
    program_code: str, directory: Path | None = None
) -> tuple[ChecklistItem, ...]:
    """The documents a program asks for, read from its definition file; none for a
    program without a file or without a `documents` key."""
    directory = directory or default_directory()
    path = directory / program_code / DEFINITION_FILE
    if not _SLUG.fullmatch(program_code) or not path.is_file():
        return ()
    problems: list[str] = []
    shown = f"{directory.name}/{program_code}/{DEFINITION_FILE}"
    definition = parse_file(path, shown=shown, problems=problems)
    if definition is None:
        raise CatalogueError(problems)
    return definition.documents


@transaction.atomic
def load_programs(*, directory: Path | None = None) -> LoadResult:
    """Create or update a Program row for every definition file. Running it again with
    the same files changes nothing. Programs with no file are left as they are: cases
    refer to them."""
    definitions = read_definitions(directory)
    result = LoadResult()
    existing = {program.code: program for program in Program.objects.select_for_update()}
    for definition in definitions:
        wanted = definition.program_fields()
        program = existing.get(definition.code)
        if program is None:
            Program.objects.create(code=definition.code, **wanted)
            result.created.append(definition.code)
            continue
        changed = [name for name, value in wanted.items() if getattr(program, name) != value]
        if not changed:
            result.unchanged.append(definition.code)
            continue
        for name in changed:
            setattr(program, name, wanted[name])
        program.save(update_fields=changed)
        result.updated.append(definition.code)
    return result


class _Checker:
    """Type and key checks that record problems as "file: key: what is wrong". A value
    that is `_MISSING` gives None without a second report: mapping() named it."""

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

    def bilingual(self, value: object, key: str) -> tuple[str, str] | None:
        names = self.mapping(value, key, required={"en", "fr"}, optional=set())
        if names is None:
            return None
        english = self.text(names.get("en", _MISSING), _join(key, "en"))
        french = self.text(names.get("fr", _MISSING), _join(key, "fr"))
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


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, except that a key given twice in one mapping is an error."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice in one mapping", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


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


def definitions_by_code(directory: Path | None = None) -> dict[str, ProgramDefinition]:
    """The definitions keyed by program code, for callers that need labels or citations."""
    return {definition.code: definition for definition in read_definitions(directory)}


__all__ = [
    "CatalogueError",
    "Category",
    "ChecklistItem",
    "Citation",
    "LoadResult",
    "ProgramDefinition",
    "ServiceStandard",
    "definitions_by_code",
    "document_checklist",
    "load_programs",
    "read_definitions",
]
