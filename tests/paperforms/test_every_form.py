"""Every program whose folder has a `paper.yaml` has a paper form with no code of its
own: the example answers of its questions.yaml print, read back whole, and file as an
application of that program."""

import datetime
import io

import pypdfium2
import pytest

from passage.intake.flows import engine
from passage.paper import reading, symbols
from passage.paper.document import assemble_document, check_document
from passage.paperforms import services
from passage.paperforms.catalogue import form_definitions
from passage.paperforms.printing import form_pdf
from tests.builders import create_officer, create_program
from tests.paperforms.builders import PRINTED

FORMS = sorted(form_definitions().items())


def example_document(definition):  # type: ignore[no-untyped-def]
    example = definition.flow.example
    assert example is not None
    submitted = engine.submission(
        definition.flow, example.answers_copy(), submitted_on=example.submitted_on
    )
    applicant = {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in submitted.fields.items()
    }
    return assemble_document(
        definition, applicant=applicant, facts={**submitted.fields, **submitted.answers}
    )


def symbol_pages(pdf: bytes) -> list[bytes]:
    pages = pypdfium2.PdfDocument(pdf)
    rendered = []
    for number in range(len(pages)):
        image = pages[number].render(scale=200 / 72).to_pil().convert("L")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        rendered.append(buffer.getvalue())
    return rendered


def test_the_adult_grant_the_iec_and_the_pr_card_have_paper_forms() -> None:
    assert {code for code, _ in FORMS} >= {"cit-grant-adult", "iec-work-permit", "pr-card-renewal"}


@pytest.mark.parametrize(("code", "definition"), FORMS, ids=[code for code, _ in FORMS])
def test_each_form_prints_the_example_and_reads_it_back_whole(code, definition) -> None:  # type: ignore[no-untyped-def]
    document = example_document(definition)
    check_document(definition, document, printed=False)

    printed, pdf = form_pdf(definition, document, now=PRINTED)

    texts = [text for page in symbol_pages(pdf) for text in reading.read_scan(page).texts]
    assert symbols.decode(texts) == (code, printed)


@pytest.mark.django_db
def test_an_iec_paper_form_files_with_its_category_and_citizenship() -> None:
    create_program("iec")
    definition = dict(FORMS)["iec-work-permit"]
    _printed, pdf = form_pdf(definition, example_document(definition), now=PRINTED)
    clerk = create_officer()
    scan = services.receive_scan(
        clerk=clerk,
        filename="iec.png",
        content=symbol_pages(pdf)[-1],
        received_on=PRINTED.date(),
        received_by="counter",
        idempotency_key="iec-1",
        now=PRINTED,
    )

    case = services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="f", now=PRINTED)

    example = definition.flow.example.answers
    assert case.program.code == "iec"
    assert case.application.category == example["category"]
    assert case.application.citizenship == example["citizenship"]
