"""A program as one immutable object: its four files read once, checked against each other.

A program is a folder of YAML files, and nothing else:

- `program.yaml`: what the program is (names, categories, service standard, documents);
- `rules.yaml`: its eligibility criteria, with dated parameters and citations;
- `questions.yaml` (optional): the questions of its online application;
- `scenarios.yaml` (optional): worked examples, run as tests and replayed by the demo;
- `paper.yaml` (optional): its paper form, whose symbols carry the answers
  (`shared/spec/barcode-form.md`).

`read_programs` reads every folder and reports every problem of every file together,
including the ones that only show when the files are read side by side (see
`passage.programs.checks`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from passage.programs.checks import cross_check
from passage.programs.definition import (
    DEFINITION_FILE,
    CatalogueError,
    ChecklistItem,
    ProgramDefinition,
    parse_file,
)
from passage.programs.paper import PAPER_FILE, PaperForm, load_paper_form
from passage.programs.questions import FLOW_FILE, Flow, FlowError, load_flow
from passage.rules.loader import RuleSet, RuleSetError, load_ruleset
from passage.rules.scenarios import Scenario, load_scenarios

RULES_FILE = "rules.yaml"
SCENARIOS_FILE = "scenarios.yaml"
_T = TypeVar("_T")
PROGRAM_FILES = (DEFINITION_FILE, RULES_FILE, FLOW_FILE, SCENARIOS_FILE, PAPER_FILE)


@dataclass(frozen=True)
class ProgramBundle:
    """Everything a program's folder says, checked: one object, shared by every reader."""

    definition: ProgramDefinition
    ruleset: RuleSet
    flow: Flow | None = None
    scenarios: tuple[Scenario, ...] = ()
    paper: PaperForm | None = None

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def documents(self) -> tuple[ChecklistItem, ...]:
        return self.definition.documents


def read_programs(directory: Path) -> dict[str, ProgramBundle]:
    """Every program under `directory`, by code, or a CatalogueError listing every problem
    found in every file. Folders whose names start with "." or "_" are skipped."""
    if not directory.is_dir():
        raise CatalogueError([f"{directory.name}: the programs folder does not exist"])
    problems: list[str] = []
    programs: dict[str, ProgramBundle] = {}
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        bundle = _read_folder(folder, problems)
        if bundle is not None:
            programs[bundle.code] = bundle
    if not programs and not problems:
        problems.append(f"{directory.name}: no programs found")
    if problems:
        raise CatalogueError(problems)
    return programs


def read_program(folder: Path) -> ProgramBundle:
    """One program's folder, or a CatalogueError listing what is wrong with it."""
    problems: list[str] = []
    bundle = _read_folder(folder, problems)
    if bundle is None:
        raise CatalogueError(problems)
    return bundle


def _read_folder(folder: Path, problems: list[str]) -> ProgramBundle | None:
    shown = f"{folder.parent.name}/{folder.name}"
    before = len(problems)
    definition_path = folder / DEFINITION_FILE
    definition = None
    if definition_path.is_file():
        definition = parse_file(
            definition_path, shown=f"{shown}/{DEFINITION_FILE}", problems=problems
        )
    else:
        problems.append(f"{shown}/{DEFINITION_FILE}: the file is missing")
    ruleset = None
    rules_path = folder / RULES_FILE
    if rules_path.is_file():
        ruleset = _or_problem(lambda: load_ruleset(rules_path), folder, problems)
    else:
        problems.append(f"{shown}/{RULES_FILE}: the file is missing")
    flow = None
    if (folder / FLOW_FILE).is_file():
        flow = _or_problem(lambda: load_flow(folder / FLOW_FILE), folder, problems)
    scenarios: tuple[Scenario, ...] = ()
    if ruleset is not None and (folder / SCENARIOS_FILE).is_file():
        loaded = _or_problem(
            lambda: load_scenarios(folder / SCENARIOS_FILE, ruleset), folder, problems
        )
        scenarios = loaded or ()
    paper = None
    if (folder / PAPER_FILE).is_file():
        paper = _or_problem(lambda: load_paper_form(folder / PAPER_FILE, flow), folder, problems)
    if definition is None or ruleset is None or len(problems) > before:
        return None
    problems.extend(
        f"{shown}: {problem}" for problem in cross_check(definition, ruleset, flow, scenarios)
    )
    if len(problems) > before:
        return None
    return ProgramBundle(
        definition=definition, ruleset=ruleset, flow=flow, scenarios=scenarios, paper=paper
    )


def _or_problem(read: Callable[[], _T], folder: Path, problems: list[str]) -> _T | None:
    try:
        return read()
    except (RuleSetError, FlowError) as error:
        # The readers name the file by its full path; the catalogue names it from `programs/`.
        found = error.problems if isinstance(error, RuleSetError) else [str(error)]
        problems.extend(
            problem.replace(f"{folder.parent}/", f"{folder.parent.name}/", 1) for problem in found
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{folder.parent.name}/{folder.name}: cannot be read: {error}")
        return None
