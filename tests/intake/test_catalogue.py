"""Program definitions as data: every file in programs/ loads, and a wrong file is
rejected with its name and key, before anything is written."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from passage.intake.catalogue import (
    CatalogueError,
    current_programs,
    load_programs,
    read_definitions,
)
from passage.intake.models import Program
from passage.programs import read_programs

PROGRAMS = Path(settings.BASE_DIR) / "programs"
# Every folder of programs/ with a definition: each is read under its folder's name.
EXPECTED_CODES = {
    folder.name for folder in PROGRAMS.iterdir() if (folder / "program.yaml").is_file()
}


def valid_definition(code: str = "sample", **overrides: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "code": code,
        "name": {"en": "Sample program", "fr": "Programme type"},
        "categories": [{"code": "first", "name": {"en": "First", "fr": "Premier"}}],
        "service_standard": {
            "days": 30,
            "published": True,
            "reference": [{"title": "Service standards", "href": "https://example.org/ss"}],
        },
        "open_for_applications": True,
        "letters": {
            "approved": {"en": "We will write to you.", "fr": "Nous vous écrirons."},
            "refused": {
                "days": 60,
                "recourse": {"en": "Ask the court.", "fr": "Demandez à la cour."},
                "law": {
                    "en": "An act, section 1",
                    "fr": "Une loi, article 1",
                    "href": {"en": "https://example.org/en", "fr": "https://example.org/fr"},
                },
            },
        },
    }
    definition.update(overrides)
    return definition


def write_program(directory: Path, folder: str, content: dict[str, Any] | str) -> Path:
    """A program folder whose `program.yaml` is `content`, beside the smallest ruleset that
    agrees with it (a program is read with its rules)."""
    path = directory / folder / "program.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    categories = ["first"]
    if isinstance(content, dict) and isinstance(content.get("categories"), list):
        categories = [c["code"] for c in content["categories"] if isinstance(c, dict)]
    (path.parent / "rules.yaml").write_text(
        yaml.safe_dump(smallest_ruleset(folder, categories)), encoding="utf-8"
    )
    return path


def smallest_ruleset(program: str, categories: list[str]) -> dict[str, Any]:
    return {
        "program": program,
        "effective": "2025-01-01",
        "as_of": "application_date",
        "categories": categories,
        "facts": {
            "application_date": {
                "type": "date",
                "description": {"en": "Day received", "fr": "Jour de réception"},
            }
        },
        "parameters": {},
        "criteria": [
            {
                "id": "received",
                "label": {"en": "Received", "fr": "Reçue"},
                "when": "application_date >= date('2000-01-01')",
                "detail": {
                    "en": "received on {application_date}",
                    "fr": "reçue le {application_date}",
                },
                "citation": {
                    "title": {"en": "Sample", "fr": "Exemple"},
                    "href": "https://example.org/rules",
                },
            }
        ],
    }


def problems_for(directory: Path) -> list[str]:
    with pytest.raises(CatalogueError) as raised:
        read_definitions(directory)
    return raised.value.problems


def test_every_program_file_in_the_repository_is_valid():
    definitions = {definition.code: definition for definition in read_definitions(PROGRAMS)}

    assert set(definitions) == EXPECTED_CODES
    assert definitions["iec"].category_codes == [
        "working-holiday",
        "young-professionals",
        "international-coop",
    ]
    assert definitions["family-sponsor"].category_codes == [
        "spouse",
        "common-law-partner",
        "conjugal-partner",
        "dependent-child",
    ]
    assert not definitions["it-worker"].open_for_applications
    for definition in definitions.values():
        assert definition.name_en
        assert definition.name_fr
        assert definition.service_standard.days > 0
        if definition.service_standard.published:
            assert definition.service_standard.reference


@pytest.mark.django_db
def test_loading_the_repository_programs_creates_one_row_each():
    result = load_programs(directory=PROGRAMS)

    assert sorted(result.created) == sorted(EXPECTED_CODES)
    iec = Program.objects.get(code="iec")
    assert iec.name_fr == "Expérience internationale Canada"
    assert iec.service_standard_days == 56
    assert iec.categories == ["working-holiday", "young-professionals", "international-coop"]
    assert iec.is_open
    assert not Program.objects.get(code="it-worker").is_open
    assert Program.objects.get(code="eta").categories == []


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_programs(directory=PROGRAMS)
    before = list(Program.objects.order_by("code").values())

    result = load_programs(directory=PROGRAMS)

    assert not result.changed
    assert sorted(result.unchanged) == sorted(EXPECTED_CODES)
    assert list(Program.objects.order_by("code").values()) == before


@pytest.mark.django_db
def test_a_changed_file_updates_its_program_and_only_that_one(tmp_path):
    directory = tmp_path / "programs"
    shutil.copytree(PROGRAMS, directory)
    load_programs(directory=directory)
    path = directory / "pr-card" / "program.yaml"
    path.write_text(path.read_text().replace("days: 60", "days: 75"), encoding="utf-8")

    result = load_programs(directory=directory)

    assert result.updated == ["pr-card"]
    assert Program.objects.get(code="pr-card").service_standard_days == 75


@pytest.mark.django_db
def test_an_existing_program_row_is_updated_in_place():
    Program.objects.create(code="iec", name_en="Old", name_fr="Ancien", service_standard_days=1)
    before_pk = Program.objects.get(code="iec").pk

    result = load_programs(directory=PROGRAMS)

    assert "iec" in result.updated
    assert Program.objects.get(code="iec").pk == before_pk


def test_an_unknown_top_level_key_is_rejected_with_the_file_name(tmp_path):
    write_program(tmp_path, "sample", valid_definition(colour="red"))

    problems = problems_for(tmp_path)

    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path.name}/sample/program.yaml: colour: unknown key")


def test_an_unknown_nested_key_is_rejected_with_its_path(tmp_path):
    definition = valid_definition()
    definition["service_standard"]["day"] = 30
    definition["categories"][0]["name"]["de"] = "Erste"
    write_program(tmp_path, "sample", definition)

    problems = problems_for(tmp_path)

    assert any("sample/program.yaml: service_standard.day: unknown key" in p for p in problems)
    assert any("sample/program.yaml: categories[0].name.de: unknown key" in p for p in problems)


def test_missing_keys_and_wrong_types_are_all_reported_at_once(tmp_path):
    definition = valid_definition(open_for_applications="yes")
    del definition["name"]["fr"]
    definition["service_standard"]["days"] = "thirty"
    write_program(tmp_path, "sample", definition)

    problems = problems_for(tmp_path)

    assert "name.fr: is missing" in "\n".join(problems)
    assert "service_standard.days: must be a whole number of days" in "\n".join(problems)
    assert "open_for_applications: must be true or false" in "\n".join(problems)
    assert len(problems) == 3


def test_a_key_given_twice_is_rejected(tmp_path):
    text = yaml.safe_dump(valid_definition(), allow_unicode=True) + "code: sample\n"
    write_program(tmp_path, "sample", text)

    problems = problems_for(tmp_path)

    assert problems == [
        f"{tmp_path.name}/sample/program.yaml: line {text.count(chr(10))}: duplicate key 'code'"
    ]


def test_the_code_must_match_the_folder(tmp_path):
    write_program(tmp_path, "sample", valid_definition(code="other"))

    assert problems_for(tmp_path) == [
        f"{tmp_path.name}/sample/program.yaml: code: is 'other' but the folder is 'sample'; "
        "they must match"
    ]


def test_a_published_service_standard_needs_a_citation(tmp_path):
    definition = valid_definition()
    definition["service_standard"]["reference"] = []
    write_program(tmp_path, "sample", definition)

    assert problems_for(tmp_path) == [
        f"{tmp_path.name}/sample/program.yaml: service_standard.reference: "
        "a published standard needs its citation"
    ]


def test_a_category_listed_twice_is_rejected(tmp_path):
    definition = valid_definition()
    definition["categories"].append(definition["categories"][0])
    write_program(tmp_path, "sample", definition)

    assert problems_for(tmp_path) == [
        f"{tmp_path.name}/sample/program.yaml: categories[1].code: 'first' is listed twice"
    ]


def test_a_folder_without_a_definition_file_is_reported(tmp_path):
    write_program(tmp_path, "sample", valid_definition())
    (tmp_path / "empty").mkdir()

    assert problems_for(tmp_path) == [
        f"{tmp_path.name}/empty/program.yaml: the file is missing",
        f"{tmp_path.name}/empty/rules.yaml: the file is missing",
    ]


def test_a_file_that_is_not_yaml_is_reported_with_its_line(tmp_path):
    write_program(tmp_path, "sample", "code: sample\nname: [unclosed\n")

    (problem,) = problems_for(tmp_path)

    assert problem.startswith(f"{tmp_path.name}/sample/program.yaml: line ")


@pytest.mark.django_db
def test_nothing_is_written_when_any_file_is_invalid(tmp_path):
    write_program(tmp_path, "good", valid_definition("good"))
    write_program(tmp_path, "bad", valid_definition("bad", extra=True))

    with pytest.raises(CatalogueError):
        load_programs(directory=tmp_path)

    assert not Program.objects.exists()


@pytest.mark.django_db
def test_the_command_names_the_file_and_key_of_each_problem(tmp_path):
    write_program(tmp_path, "sample", valid_definition(colour="red"))

    with pytest.raises(CommandError, match=r"sample/program\.yaml: colour: unknown key"):
        call_command("load_programs", directory=tmp_path)


@pytest.mark.django_db
def test_the_command_loads_and_then_reports_nothing_to_do(capsys):
    call_command("load_programs")
    call_command("load_programs")

    output = capsys.readouterr().out
    assert "Programs: 7 created, 0 updated, 0 unchanged." in output
    assert "Programs: 0 created, 0 updated, 7 unchanged." in output


def test_a_program_file_broken_while_running_leaves_the_last_good_programs_in_force(
    tmp_path, caplog
):
    shutil.copytree(PROGRAMS / "iec", tmp_path / "iec")
    before = current_programs(tmp_path)
    rules = tmp_path / "iec" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nnot: [closed\n", encoding="utf-8")

    during = current_programs(tmp_path)

    assert during["iec"] is before["iec"]
    assert "The programs last read stay in force" in caplog.text
    with pytest.raises(CatalogueError):
        read_programs(tmp_path)


def test_a_program_without_its_letter_terms_or_with_a_wrong_period_is_refused(tmp_path):
    without = valid_definition()
    del without["letters"]
    write_program(tmp_path, "sample", without)
    wrong = valid_definition("other")
    wrong["letters"]["refused"]["days"] = 600
    del wrong["letters"]["refused"]["law"]["fr"]
    write_program(tmp_path, "other", wrong)

    with pytest.raises(CatalogueError) as raised:
        read_programs(tmp_path)

    problems = "\n".join(raised.value.problems)
    assert f"{tmp_path.name}/sample/program.yaml: letters: is missing" in problems
    assert "other/program.yaml: letters.refused.days: must be a whole number of days" in problems
    assert "other/program.yaml: letters.refused.law.fr: is missing" in problems
