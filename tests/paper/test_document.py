"""A form's JSON document: checked against its form, every problem named; printed in
words; read back into the application it makes."""

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from passage.paper.document import (
    DocumentError,
    FormDefinition,
    application_of,
    check_document,
    printed_form,
)
from passage.paper.layout import render_pdf
from passage.programs import read_program
from tests.paper.printed_forms import DOCUMENT

# The contract's own example.
EXAMPLE = DOCUMENT


@pytest.fixture(scope="module")
def grant() -> FormDefinition:
    bundle = read_program(Path(__file__).parents[2] / "programs" / "citizenship")
    assert bundle.paper is not None
    assert bundle.flow is not None
    return FormDefinition(paper=bundle.paper, flow=bundle.flow)


def changed(**parts: object) -> dict[str, object]:
    document = copy.deepcopy(EXAMPLE)
    for path, value in parts.items():
        *outer, last = path.split("__")
        target: dict[str, object] = document
        for key in outer:
            target = target[key]  # type: ignore[assignment]
        if value is None:
            target.pop(last)
        else:
            target[last] = value
    return document


def test_the_spec_example_is_a_valid_adult_grant(grant: FormDefinition) -> None:
    assert check_document(grant, json.loads(json.dumps(EXAMPLE))) == EXAMPLE


def test_its_facts_are_the_citizenship_facts_less_the_date_of_birth(grant: FormDefinition) -> None:
    assert set(grant.fact_names()) == set(EXAMPLE["facts"])  # type: ignore[arg-type]


def test_every_problem_is_named_with_its_key(grant: FormDefinition) -> None:
    broken = changed(
        form_version=2,
        applicant__date_of_birth="1990-02-30",
        applicant__uci="12-34",
        facts__absences=[{"from": "2022-07-20", "to": "2022-07-01"}],
        facts__became_pr_on=None,
    )

    with pytest.raises(DocumentError) as refused:
        check_document(grant, broken)

    assert refused.value.problems == [
        "form_version: this form is version 1, found 2",
        "applicant.date_of_birth: not a date (YYYY-MM-DD): '1990-02-30'",
        "applicant.uci: not 8 or 10 digits: '12-34'",
        "facts.became_pr_on: missing",
        "facts.absences: period 1 ends before it starts",
    ]


def test_optional_applicant_fields_may_be_absent_and_unknown_keys_are_kept(
    grant: FormDefinition,
) -> None:
    document = changed(applicant__uci=None, applicant__email=None, applicant__address=None)
    document["applicant"]["nickname"] = "Mimi"  # type: ignore[index]

    assert check_document(grant, document)["applicant"]["nickname"] == "Mimi"  # type: ignore[index]


def test_a_document_without_printed_at_is_checked_before_printing_only(
    grant: FormDefinition,
) -> None:
    unprinted = changed(printed_at=None)

    check_document(grant, unprinted, printed=False)
    with pytest.raises(DocumentError, match="printed_at"):
        check_document(grant, unprinted)


def test_the_printed_form_says_every_answer_in_words(grant: FormDefinition) -> None:
    shown = printed_form(grant, EXAMPLE)

    rows = {row.label.en: row.value for section in shown.sections for row in section.rows}
    assert rows["Family name"] == "Tremblay-Nguyễn"
    assert rows["Mailing address"] == "123 rue Saint-Denis\napp. 4\nMontréal QC\nH2X 3K8"
    assert rows["Trips outside Canada"] == "2022-07-01 \u2013 2022-07-20"
    assert rows["Citizenship test passed"] == "Not answered / Sans réponse"
    assert shown.symbols[0].startswith("PSG1:cit-grant-adult:1:1:")


def test_the_application_keeps_every_character_and_the_pages_the_facts_opened(
    grant: FormDefinition,
) -> None:
    made = application_of(grant, EXAMPLE)

    assert made.fields["family_name"] == "Tremblay-Nguyễn"
    assert made.fields["citizenship"] == ""
    assert made.answers["lived_before_pr"] is True
    assert made.answers["travelled"] is True
    assert made.answers["paper_applicant"]["uci"] == "1122334455"


def test_the_client_signs_under_the_declaration_before_the_barcode_pages(
    grant: FormDefinition,
) -> None:
    pages = PdfReader(io.BytesIO(render_pdf(printed_form(grant, EXAMPLE)))).pages

    words = [" ".join(page.extract_text().split()) for page in pages]
    signed = [number for number, text in enumerate(words) if "I declare that" in text]
    assert signed
    assert "Je déclare que" in words[signed[0]]
    assert "Signature" in words[signed[0]]
    assert all("Symbol 1 of" not in text for text in words[: signed[0] + 1])
