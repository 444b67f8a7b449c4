import textwrap
from pathlib import Path

import pytest

from passage.rules import RuleSetError, expressions, load_ruleset
from tests.rules.builders import IEC_RULES, MINIMAL_RULES


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(write(tmp_path, text))
    return str(caught.value)


def test_the_iec_ruleset_loads_with_its_version_and_hash() -> None:
    ruleset = load_ruleset(IEC_RULES)
    assert ruleset.version == "iec@2025-01-01"
    assert len(ruleset.content_hash) == 12
    assert [c.id for c in ruleset.criteria] == [
        "partner-country-category",
        "age-in-range",
        "minimum-funds",
        "insurance-covers-stay",
        "no-accompanying-dependants",
        "job-offer",
        "post-secondary-enrolment",
        "participations-below-cap",
    ]


def test_the_iec_parameters_hold_the_2025_country_table() -> None:
    values = load_ruleset(IEC_RULES).parameter_values
    import datetime

    on = datetime.date(2026, 1, 12)
    assert values["maximum_age"].at(on, "JP") == (30, datetime.date(2025, 1, 1))
    assert values["maximum_age"].at(on, "FR") == (35, datetime.date(2025, 1, 1))
    assert values["categories_offered"].at(on, "CH")[0] == [
        "young-professionals",
        "international-coop",
    ]
    assert values["categories_offered"].at(on, "US") == ([], None)
    assert values["minimum_funds"].at(on) == (2500, datetime.date(2025, 1, 1))


def test_a_minimal_ruleset_loads(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, MINIMAL_RULES))
    assert ruleset.version == "demo@2024-01-01"


def test_an_unknown_key_is_reported_with_file_and_line(tmp_path: Path) -> None:
    text = MINIMAL_RULES.replace("    unit: CAD\n", "    unit: CAD\n    units: CAD\n")
    message = error_of(tmp_path, text)
    assert message.startswith(f"{tmp_path / 'rules.yaml'}:11: unknown key 'units'")


def test_a_missing_key_is_reported(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL_RULES.replace("    unit: CAD\n", ""))
    assert ":9: parameter 'floor' is missing 'unit'" in message


def test_an_expression_syntax_error_names_the_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL_RULES.replace("amount >= param.floor", "amount >= >"))
    assert ":18: criterion 'enough'.when: unexpected '>' at column 11" in message


def test_an_unknown_fact_is_reported(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL_RULES.replace("amount >= param", "amout >= param"))
    assert ":18: criterion 'enough': unknown fact 'amout'" in message


def test_an_unknown_parameter_in_a_detail_is_reported(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL_RULES.replace("against {param.floor}", "{param.flor}"))
    assert ":19: criterion 'enough'.detail: unknown parameter 'flor'" in message


def test_a_keyed_parameter_without_its_key_is_reported(tmp_path: Path) -> None:
    text = MINIMAL_RULES.replace(
        "    values:\n      2024-01-01: 10\n",
        "    keyed_by: country\n    values:\n      FR: {2024-01-01: 10}\n",
    )
    assert "param.floor needs a key" in error_of(tmp_path, text)


def test_a_bad_date_key_is_reported(tmp_path: Path) -> None:
    text = MINIMAL_RULES.replace("      2024-01-01: 10", "      2024-13-01: 10")
    assert ":12: a date key of parameter 'floor' must be a date" in error_of(tmp_path, text)


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, MINIMAL_RULES + "  - id: [unclosed\n")
    assert message.startswith(f"{tmp_path / 'rules.yaml'}:")


def test_a_duplicate_criterion_is_reported(tmp_path: Path) -> None:
    criterion = MINIMAL_RULES[MINIMAL_RULES.index("  - id: enough") :]
    assert "duplicate criterion 'enough'" in error_of(tmp_path, MINIMAL_RULES + criterion)


def test_an_unbalanced_brace_in_a_detail_is_reported(tmp_path: Path) -> None:
    text = MINIMAL_RULES.replace('"{amount} against', '"{amount} against }')
    assert "unbalanced brace" in error_of(tmp_path, text)


def test_an_unquoted_country_code_that_yaml_reads_as_a_boolean_is_an_error(tmp_path):
    source = Path(IEC_RULES).read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(source.replace('"NO": {2025-01-01: 35}', "NO: {2025-01-01: 35}"), "utf-8")

    with pytest.raises(RuleSetError, match=r"rules\.yaml:\d+: .*quote it"):
        load_ruleset(path)


def test_a_detail_shares_the_nodes_of_its_criterion() -> None:
    ruleset = load_ruleset(IEC_RULES)
    [age] = [c for c in ruleset.criteria if c.id == "age-in-range"]
    calls = [p for p in age.detail.parts if not isinstance(p, str)]
    assert any(part is node for part in calls for node in expressions.walk(age.when))


def test_a_source_is_written_once_and_cited_by_id_with_a_section(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            program: sample
            effective: 2025-01-01
            as_of: application_date
            sources:
              guide: {title: {en: "Program guide", fr: "Guide du programme"}, href: "https://example.org/guide"}
            facts:
              application_date: {type: date, description: {en: Day received, fr: Jour de réception}}
            parameters:
              floor:
                description: Earliest day
                unit: day
                values: {2025-01-01: 1}
                reference: [guide]
            criteria:
              - id: received
                label: {en: Received, fr: Reçue}
                when: application_date >= date('2000-01-01')
                detail: {en: "received on {application_date}", fr: "reçue le {application_date}"}
                citation:
                  source: guide
                  section: {en: "who may apply", fr: "qui peut présenter une demande"}
            """
        ),
        encoding="utf-8",
    )

    ruleset = load_ruleset(path)

    [criterion] = ruleset.criteria
    assert str(criterion.citation) == "Program guide (who may apply), https://example.org/guide"
    assert criterion.citation.as_dict() == {
        "title": "Program guide (who may apply)",
        "title_fr": "Guide du programme (qui peut présenter une demande)",
        "href": "https://example.org/guide",
    }
    assert ruleset.parameters["floor"].references[0].title == "Program guide"


def test_citing_a_source_that_is_not_listed_names_the_line(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            program: sample
            effective: 2025-01-01
            as_of: application_date
            facts:
              application_date: {type: date, description: {en: Day received, fr: Jour de réception}}
            parameters: {}
            criteria:
              - id: received
                label: {en: Received, fr: Reçue}
                when: application_date >= date('2000-01-01')
                detail: {en: "received on {application_date}", fr: "reçue le {application_date}"}
                citation: guide
            """
        ),
        encoding="utf-8",
    )

    with pytest.raises(RuleSetError, match=r"rules.yaml:12: .*names the source 'guide'"):
        load_ruleset(path)
