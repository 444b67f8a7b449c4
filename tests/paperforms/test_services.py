"""A paper form at intake: the scan kept and read, then filed as an application on the day
it was received, with the scan as a document of the case and the client's receipt."""

import datetime

import pytest

from passage.cases.errors import IdempotencyConflict, InvalidRequest, NotPermitted
from passage.cases.models import Case
from passage.errors import Conflict
from passage.intake.models import Document
from passage.outbox.models import OutboxMessage
from passage.paper import symbols
from passage.paper.layout import render_pdf
from passage.paper.printed import PrintedForm
from passage.paperforms import services
from passage.paperforms.models import PaperScan
from passage.paperforms.receipts import acknowledgement_of
from passage.programs.flow import Text
from tests.builders import create_officer, create_user
from tests.continuity.builders import incident
from tests.paperforms.builders import (
    blanked_symbol_scan,
    citizenship_program,
    document,
    printed,
    scanned,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)
RECEIVED = datetime.date(2026, 12, 2)


def receive(clerk, content: bytes, key: str = "scan-1", **fields):  # type: ignore[no-untyped-def]
    return services.receive_scan(
        clerk=clerk,
        filename="scan.png",
        content=content,
        received_on=fields.pop("received_on", RECEIVED),
        received_by=fields.pop("received_by", "mail"),
        idempotency_key=key,
        now=NOW,
    )


def test_a_scan_read_whole_is_kept_with_the_document_it_carries() -> None:
    sent, pdf = printed()

    scan = receive(create_officer(), scanned(pdf))

    assert scan.state == PaperScan.State.READ
    assert scan.document == sent
    assert scan.form_code == "cit-grant-adult"
    assert scan.problems == []


def test_filing_makes_a_case_received_on_the_day_the_form_came_not_the_day_it_was_keyed() -> None:
    citizenship_program()
    clerk = create_officer()
    _sent, pdf = printed()
    scan = receive(clerk, scanned(pdf))

    case = services.file_scan(
        clerk=clerk, scan_id=scan.public_id, idempotency_key="file-1", now=NOW
    )

    assert case.received_at.astimezone(datetime.UTC).date() == RECEIVED
    application = case.application
    assert (application.given_name, application.family_name) == ("Amélie", "Tremblay-Nguyễn")
    assert application.citizenship == ""
    answers = application.answers.get().answers
    assert answers["absences"] == [{"from": "2022-07-01", "to": "2022-07-20"}]
    assert answers["paper_applicant"]["address"]["city"] == "Montréal"
    kept = Document.objects.get(application=application)
    assert (kept.kind, kept.sha256) == ("paper-form", scan.sha256)
    scan.refresh_from_db()
    assert scan.state == PaperScan.State.FILED
    assert scan.case == case


def test_the_client_gets_the_receipt_by_email_in_their_language() -> None:
    citizenship_program()
    clerk = create_officer()
    scan = receive(clerk, scanned(printed()[1]))

    case = services.file_scan(
        clerk=clerk, scan_id=scan.public_id, idempotency_key="file-1", now=NOW
    )

    receipt = OutboxMessage.objects.get(case=case)
    assert (receipt.template, receipt.to_email, receipt.language) == (
        "paper_received",
        "amelie@example.org",
        "fr",
    )
    scan.refresh_from_db()
    assert scan.receipt == "email"


def test_a_form_without_an_email_address_gets_a_receipt_on_paper() -> None:
    citizenship_program()
    clerk = create_officer()
    scan = receive(clerk, scanned(printed(document(email=None))[1]))

    case = services.file_scan(
        clerk=clerk, scan_id=scan.public_id, idempotency_key="file-1", now=NOW
    )

    assert not OutboxMessage.objects.filter(case=case).exists()
    scan.refresh_from_db()
    assert scan.receipt == "paper"
    assert case.application.email == ""


def test_a_client_with_an_account_finds_the_paper_application_on_it() -> None:
    citizenship_program()
    client = create_user(email="Amelie@Example.org")
    clerk = create_officer()
    scan = receive(clerk, scanned(printed()[1]))

    case = services.file_scan(
        clerk=clerk, scan_id=scan.public_id, idempotency_key="file-1", now=NOW
    )

    assert case.application.applicant == client


def test_filing_twice_makes_one_case() -> None:
    citizenship_program()
    clerk = create_officer()
    scan = receive(clerk, scanned(printed()[1]))

    first = services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="a", now=NOW)
    again = services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="b", now=NOW)

    assert first == again
    assert Case.objects.count() == 1


def test_a_missing_symbol_is_named_and_nothing_can_be_filed_from_the_symbols() -> None:
    citizenship_program()
    clerk = create_officer()
    texts = symbols.encode({**printed()[0]}, form="cit-grant-adult", chunk=200)
    assert len(texts) >= 3
    blank = Text("Form", "Formulaire")
    form = PrintedForm(
        "cit-grant-adult", 1, blank, "2026-12-01T09:03:00-05:00", blank, (), (texts[0], *texts[2:])
    )
    scan = receive(clerk, scanned(render_pdf(form)))

    assert scan.state == PaperScan.State.INCOMPLETE
    assert scan.problems == [f"symbol 2 of {len(texts)} not found"]
    assert scan.document is None
    with pytest.raises(Conflict):
        services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="f", now=NOW)
    assert not Case.objects.exists()


def test_a_form_keyed_by_hand_from_its_printed_words_is_filed_on_its_receipt_day() -> None:
    citizenship_program()
    clerk = create_officer()
    scan = receive(clerk, blanked_symbol_scan(printed()[1]))
    assert scan.state == PaperScan.State.INCOMPLETE

    case = services.file_scan(
        clerk=clerk, scan_id=scan.public_id, idempotency_key="k", keyed=document(), now=NOW
    )

    assert case.application.given_name == "Amélie"
    event = case.events.get()
    assert event.payload["keyed_by_hand"] is True
    assert event.payload["received_on"] == RECEIVED.isoformat()


def test_a_form_received_during_an_outage_records_it_and_says_so_on_the_receipt() -> None:
    citizenship_program()
    start = datetime.datetime(2026, 12, 2, 14, 0, tzinfo=datetime.UTC)
    outage = incident(start, start + datetime.timedelta(hours=5), "intake")
    clerk = create_officer()
    scan = receive(clerk, scanned(printed(document(email=None))[1]))
    case = services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="f", now=NOW)

    scan.refresh_from_db()
    assert scan.outages == [outage.reference]
    assert case.events.get().payload["outages"] == [outage.reference]
    receipt = acknowledgement_of(scan)
    assert outage.reference in " ".join(receipt.paragraphs)
    assert receipt.recipient[0] == "Amélie Tremblay-Nguyễn"


def test_an_outage_of_another_day_or_another_service_is_not_recorded() -> None:
    before = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)
    incident(before, before + datetime.timedelta(hours=5), "intake")
    same_day = datetime.datetime(2026, 12, 2, 14, 0, tzinfo=datetime.UTC)
    incident(same_day, same_day + datetime.timedelta(hours=1), "messages")

    assert services.outages_on(RECEIVED) == []


def test_a_file_that_is_not_a_scan_is_refused_and_nothing_is_kept() -> None:
    with pytest.raises(InvalidRequest) as refused:
        receive(create_officer(), b"hello, not an image")

    assert "scan" in refused.value.details["errors"]
    assert not PaperScan.objects.exists()


def test_a_receipt_day_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidRequest) as refused:
        receive(create_officer(), scanned(printed()[1]), received_on=datetime.date(2026, 12, 9))

    assert "received_on" in refused.value.details["errors"]


def test_the_same_key_returns_the_first_scan_and_another_file_under_it_is_a_conflict() -> None:
    clerk = create_officer()
    content = scanned(printed()[1])
    first = receive(clerk, content)

    assert receive(clerk, content) == first
    with pytest.raises(IdempotencyConflict):
        receive(clerk, scanned(printed(document(given_name="Zoé"))[1]))


def test_only_intake_staff_receive_paper_forms() -> None:
    with pytest.raises(NotPermitted):
        receive(create_user(), scanned(printed()[1]))


def test_a_scan_set_aside_files_nothing() -> None:
    clerk = create_officer()
    scan = receive(clerk, scanned(printed()[1]))

    services.set_aside(clerk=clerk, scan_id=scan.public_id, idempotency_key="s")

    with pytest.raises(Conflict):
        services.file_scan(clerk=clerk, scan_id=scan.public_id, idempotency_key="f", now=NOW)
