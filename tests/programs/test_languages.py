"""Every text of a program's rules that people read is in English and French: each
criterion's detail, each source's title and section, each fact's description, each
category's name. A file that leaves one out is refused, with every such text listed."""

import shutil
from pathlib import Path

import pytest

from passage.programs import CatalogueError, read_program, read_programs
from passage.rules.ruleset import LANGUAGES

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"


def test_every_programs_rules_give_each_text_people_read_in_both_languages():
    for code, bundle in read_programs(PROGRAMS).items():
        ruleset = bundle.ruleset
        for criterion in ruleset.criteria:
            where = f"{code}: {criterion.id}"
            assert set(criterion.details) == set(LANGUAGES), where
            assert criterion.details["fr"] != criterion.details["en"], where
            assert criterion.label["fr"].strip(), where
            assert criterion.citation.title_fr.strip(), where
            assert bool(criterion.citation.section) == bool(criterion.citation.section_fr), where
        for name, described in ruleset.fact_descriptions.items():
            assert set(described) == set(LANGUAGES), f"{code}: fact {name}"
        for parameter in ruleset.parameters.values():
            for citation in parameter.references:
                assert citation.title_fr.strip(), f"{code}: parameter {parameter.name}"
        for category in bundle.definition.categories:
            assert category.name_fr.strip(), code
            assert category.name_fr != category.code, code


def test_french_details_keep_the_english_details_values():
    # Each language's detail shows values of the same rules: a French detail that names a
    # parameter or fact the English does not would mislead whoever reads it.
    for code, bundle in read_programs(PROGRAMS).items():
        for criterion in bundle.ruleset.criteria:
            english, french = (
                sorted(repr(p) for p in criterion.details[language].parts if not isinstance(p, str))
                for language in LANGUAGES
            )
            assert english == french, f"{code}: {criterion.id}"


def test_a_rules_file_without_its_french_is_refused_naming_every_text_left_out(tmp_path: Path):
    folder = tmp_path / "iec"
    shutil.copytree(PROGRAMS / "iec", folder)
    rules = folder / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    for old, new in (
        (
            'detail: {en: "job offer: {job_offer}", fr: "offre d\u2019emploi\u00a0: {job_offer}"}',
            'detail: "job offer: {job_offer}"',
        ),
        (
            'description: {en: "Date of birth", fr: "Date de naissance"}',
            'description: {en: "Date of birth"}',
        ),
        (
            'section: {en: "proof of funds", fr: "preuve de fonds"}',
            'section: "proof of funds"',
        ),
    ):
        assert old in text, old
        text = text.replace(old, new)
    rules.write_text(text, encoding="utf-8")

    with pytest.raises(CatalogueError) as raised:
        read_program(folder)

    problems = raised.value.problems
    assert len(problems) == 3
    assert all(problem.startswith(f"{tmp_path.name}/iec/rules.yaml:") for problem in problems)
    assert "criterion 'job-offer'.detail must be written in both languages" in "\n".join(problems)
    assert "fact 'date_of_birth'.description has no 'fr'" in "\n".join(problems)
    assert "criterion 'minimum-funds'.citation.section must be written in both" in "\n".join(
        problems
    )
