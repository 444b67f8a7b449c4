"""The programs in force in this process, and the Program rows kept in step with them.

Every program is read from `PASSAGE_PROGRAMS_DIR` by one reader (`passage.programs`) into
one immutable bundle, and read again only when one of its files changes on disk: intake,
triage, the workbench and the demo all take their programs from `current_programs()`.
The database keeps a Program row per program because cases refer to it; `load_programs`
copies the definition's fields into it.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from passage.intake.flows.countries import COUNTRIES
from passage.intake.models import Program
from passage.programs.bundle import PROGRAM_FILES, ProgramBundle, read_programs
from passage.programs.definition import (
    DEFINITION_FILE,
    SUBMITTER_ROLES,
    CatalogueError,
    Category,
    ChecklistItem,
    ProgramDefinition,
    ServiceStandard,
)
from passage.rules.loader import Citation

logger = logging.getLogger(__name__)
_cache: dict[str, tuple[tuple[tuple[str, int, int], ...], dict[str, ProgramBundle]]] = {}


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def default_directory() -> Path:
    """`programs/` at the top of the project, or `PASSAGE_PROGRAMS_DIR`."""
    return Path(settings.PASSAGE_PROGRAMS_DIR)


def current_programs(directory: Path | None = None) -> dict[str, ProgramBundle]:
    """Every program by code, read once and again only after one of its files changed.

    A change that makes the files wrong does not take the service down: the programs last
    read whole stay in force, and the problems are logged (`passage load_programs --check`
    lists them); a process that never read them whole raises CatalogueError."""
    directory = directory or default_directory()
    signature = _signature(directory)
    cached = _cache.get(str(directory))
    if cached is None or cached[0] != signature:
        try:
            programs = read_programs(directory)
        except CatalogueError as error:
            if cached is None:
                raise
            logger.error("The programs last read stay in force: %s", error)
            programs = cached[1]
        cached = (signature, programs)
        _cache[str(directory)] = cached
    return cached[1]


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Which program files exist, when each last changed and its size."""
    if not directory.is_dir():
        return ()
    found = []
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        for name in PROGRAM_FILES:
            path = folder / name
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
        found.append((str(folder), 0, 0))
    return tuple(found)


def read_definitions(directory: Path | None = None) -> list[ProgramDefinition]:
    """Every program's definition, sorted by code, or a CatalogueError that lists every
    problem found in every file of every program."""
    programs = current_programs(directory)
    return [programs[code].definition for code in sorted(programs)]


def document_checklist(program_code: str) -> tuple[ChecklistItem, ...]:
    """The documents a program asks for; none for a program that is not in the folder."""
    bundle = current_programs().get(program_code)
    return bundle.documents if bundle is not None else ()


def category_name(program_code: str, category: str, language: str) -> str:
    """A category's name in `language` ("en" or "fr"); the code where the program does not
    know it."""
    bundle = current_programs().get(program_code)
    for known in bundle.definition.categories if bundle is not None else ():
        if known.code == category:
            return known.name(language)
    return category


def value_names(program_code: str) -> dict[str, dict[str, str]]:
    """By language, the name of each code a program's facts may hold: its categories, the
    options of its questions that give a fact, and countries. Details shown to people
    read these names in place of the codes."""
    bundle = current_programs().get(program_code)
    names: dict[str, dict[str, str]] = {}
    for index, language in enumerate(("en", "fr")):
        shown = {code: pair[index] for code, pair in COUNTRIES.items()}
        if bundle is not None and bundle.flow is not None:
            for question in bundle.flow.questions:
                if question.fact:
                    shown.update((o.value, o.label.get(language)) for o in question.options)
        if bundle is not None:
            shown.update((c.code, c.name(language)) for c in bundle.definition.categories)
        names[language] = shown
    return names


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


__all__ = [
    "DEFINITION_FILE",
    "SUBMITTER_ROLES",
    "CatalogueError",
    "Category",
    "ChecklistItem",
    "Citation",
    "LoadResult",
    "ProgramDefinition",
    "ServiceStandard",
    "current_programs",
    "document_checklist",
    "load_programs",
    "read_definitions",
]
