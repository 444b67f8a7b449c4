"""A program is read once into one bundle, and its files are checked against each other:
what stands in two files cannot drift apart unnoticed."""

import shutil
from pathlib import Path

import pytest

from passage.programs import CatalogueError, read_program, read_programs
from passage.programs.checks import quoted_amounts

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"


@pytest.fixture
def iec(tmp_path: Path) -> Path:
    """A copy of the IEC program to change freely."""
    shutil.copytree(PROGRAMS / "iec", tmp_path / "iec")
    return tmp_path / "iec"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(CatalogueError) as raised:
        read_program(folder)
    return raised.value.problems


def test_every_program_in_the_repository_reads_as_one_bundle_with_its_rules_and_examples():
    programs = read_programs(PROGRAMS)

    assert {path.name for path in PROGRAMS.iterdir() if path.is_dir()} == set(programs)
    for code, bundle in programs.items():
        assert bundle.ruleset.program == code
        assert bundle.scenarios, f"{code} has no worked examples"


def test_a_category_the_definition_lacks_is_named_in_rules_and_questions(iec: Path):
    edit(
        iec / "program.yaml",
        """  - code: international-coop
    name:
      en: International Co-op (Internship)
      fr: Stage coop international
""",
        "",
    )

    problems = problems_of(iec)

    assert any("program.yaml and rules.yaml list different categories" in p for p in problems)
    assert any("question 'category' offers" in p for p in problems)


def test_a_question_giving_a_fact_the_rules_do_not_read_is_reported(iec: Path):
    edit(iec / "questions.yaml", "fact: date_of_birth", "fact: birthday")

    assert any("gives the fact 'birthday'" in problem for problem in problems_of(iec))


def test_a_hint_quoting_an_amount_the_rules_no_longer_ask_for_is_reported(iec: Path):
    edit(iec / "rules.yaml", "2025-01-01: 2500", "2025-01-01: 3000")

    problems = problems_of(iec)

    assert any(
        "the hint of document 'proof-of-funds' (en) quotes 2500 dollars" in p for p in problems
    )
    assert any(
        "the hint of document 'proof-of-funds' (fr) quotes 2500 dollars" in p for p in problems
    )


def test_a_risk_area_naming_no_rule_is_reported(tmp_path: Path):
    shutil.copytree(PROGRAMS / "eta", tmp_path / "eta")
    edit(tmp_path / "eta" / "program.yaml", "no-medical-condition-declared:", "no-such-rule:")

    assert any("risk_areas names 'no-such-rule'" in p for p in problems_of(tmp_path / "eta"))


def test_a_scenario_in_an_unknown_category_is_reported(iec: Path):
    edit(iec / "scenarios.yaml", "category: working-holiday", "category: gap-year")

    assert any("category 'gap-year'" in problem for problem in problems_of(iec))


def test_every_problem_of_every_program_is_reported_together(tmp_path: Path):
    for code in ("iec", "eta"):
        shutil.copytree(PROGRAMS / code, tmp_path / code)
    edit(tmp_path / "iec" / "questions.yaml", "fact: date_of_birth", "fact: birthday")
    edit(tmp_path / "eta" / "program.yaml", "no-medical-condition-declared:", "no-such-rule:")

    with pytest.raises(CatalogueError) as raised:
        read_programs(tmp_path)

    assert len(raised.value.problems) == 2
    assert raised.value.problems[0].startswith(f"{tmp_path.name}/eta: ")
    assert raised.value.problems[1].startswith(f"{tmp_path.name}/iec: ")


def test_amounts_are_read_as_either_language_writes_them():
    assert quoted_amounts("at least CAN$2,500.") == [2500]
    assert quoted_amounts("au moins 2 500 $ CA.") == [2500]
    assert quoted_amounts("$10 or 10 $") == [10, 10]
    assert quoted_amounts("27 3 1998") == []
    assert quoted_amounts("$10.50 or 2 500,50 $") == [10.5, 2500.5]
    assert quoted_amounts("CAN$2,500 and 2,50 $") == [2500, 2.5]
