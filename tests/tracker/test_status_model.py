"""The one status model of a case as its clients see it, built from plain values."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from passage.cases.status import CaseStatus, EventKind, PartyRole, Step, StepState
from passage.tracker.estimates import Estimate
from passage.tracker.status_model import build_view, history_text

RECEIVED = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
ENOUGH = Estimate(
    service_standard_days=56, median_days=40, p80_days=61, sample_size=25, window_days=180
)
TOO_FEW = Estimate(
    service_standard_days=56, median_days=None, p80_days=None, sample_size=3, window_days=180
)


def status_row(status=CaseStatus.IN_REVIEW, events=(), decided_at=None, **steps):
    row = {
        "public_id": uuid.UUID(int=7),
        "reference": "P202600000000042",
        "status": status.value,
        "status_changed_at": RECEIVED + timedelta(days=3),
        "received_at": RECEIVED,
        "decided_at": decided_at,
        "version": 4,
        "program__code": "iec",
        "recent_events": list(events),
    }
    for step in Step:
        row[step.value] = steps.get(step.value, StepState.NOT_STARTED).value
        row[f"{step.value}_changed_at"] = (
            RECEIVED + timedelta(days=5) if step.value in steps else None
        )
    return row


def event(kind, days=0, **payload):
    return {
        "sequence": days + 1,
        "kind": kind.value,
        "actor_role": "officer",
        "occurred_at": RECEIVED + timedelta(days=days),
        "payload": payload,
        "ruleset_version": "",
    }


def request(step, due_on=date(2026, 4, 1), time_zone="America/Vancouver"):
    return {
        "id": 9,
        "step": step.value,
        "items": ["Police certificate"],
        "message": "From each country you lived in.",
        "due_on": due_on,
        "requested_at": RECEIVED + timedelta(days=4),
        "time_zone": time_zone,
    }


def view(row=None, role=PartyRole.APPLICANT, requests=(), estimate=ENOUGH, unread=0):
    return build_view(
        status_row=row or status_row(),
        program_name="International Experience Canada",
        role=role.value,
        document_requests=list(requests),
        estimate=estimate,
        unread_messages=unread,
    )


def test_the_client_sees_every_step_with_its_state_and_when_it_changed():
    built = view(status_row(eligibility=StepState.COMPLETED, medical=StepState.WAITING_ON_YOU))

    assert [(s.step, s.state_label, s.changed_at) for s in built.steps] == [
        ("eligibility", "Completed", RECEIVED + timedelta(days=5)),
        ("background", "Not started", None),
        ("medical", "Waiting on you", RECEIVED + timedelta(days=5)),
        ("biometrics", "Not started", None),
    ]
    assert [s.label for s in built.steps] == [
        "Eligibility",
        "Background check",
        "Medical exam",
        "Biometrics",
    ]
    assert (built.status, built.status_label) == ("in_review", "In review")
    assert built.status_explanation
    assert built.received_at == RECEIVED
    assert built.status_changed_at == RECEIVED + timedelta(days=3)
    assert built.reference == "P202600000000042"


def test_labels_follow_the_active_language():
    with translation.override("fr"):
        built = view(status_row(status=CaseStatus.RECEIVED))

    assert built.status_label == "Reçue"


def test_documents_due_carry_their_date_and_the_officers_time_zone():
    built = view(requests=[request(Step.MEDICAL)])

    (due,) = built.documents_due
    assert due.due_on == date(2026, 4, 1)
    assert due.time_zone == "America/Vancouver"
    assert (due.step, due.step_label) == ("medical", "Medical exam")
    assert due.items == ["Police certificate"]


def test_history_is_in_plain_words():
    built = view(
        status_row(
            events=[
                event(EventKind.STEP_RECORDED, 5, step="medical", state="completed", note="x"),
                event(EventKind.DOCUMENTS_REQUESTED, 4, step="medical"),
                event(EventKind.SUBMITTED, 0),
            ]
        )
    )

    assert [line.text for line in built.history] == [
        "Medical exam: Completed",
        "We asked you for documents",
        "We received your application",
    ]
    assert built.history[0].occurred_at == RECEIVED + timedelta(days=5)


def test_an_officers_note_on_a_step_is_never_in_the_history_text():
    text = history_text(
        event(EventKind.STEP_RECORDED, step="background", state="in_progress", note="Call RCMP")
    )

    assert "RCMP" not in text


def test_a_sponsor_sees_only_the_eligibility_step_its_requests_and_its_history():
    row = status_row(
        eligibility=StepState.WAITING_ON_YOU,
        medical=StepState.WAITING_ON_YOU,
        events=[
            event(EventKind.DOCUMENTS_REQUESTED, 5, step="medical"),
            event(EventKind.STEP_RECORDED, 4, step="eligibility", state="waiting_on_you"),
            event(EventKind.STEP_RECORDED, 3, step="background", state="in_progress"),
            event(EventKind.SUBMITTED, 0),
        ],
    )

    built = view(
        row, role=PartyRole.SPONSOR, requests=[request(Step.ELIGIBILITY), request(Step.MEDICAL)]
    )

    assert [s.step for s in built.steps] == ["eligibility"]
    assert [d.step for d in built.documents_due] == ["eligibility"]
    assert [line.text for line in built.history] == [
        "Eligibility: Waiting on you",
        "We received your application",
    ]
    assert built.status == "in_review"


def test_the_estimate_gives_an_inquiry_date_of_receipt_plus_the_80th_percentile():
    built = view(estimate=ENOUGH)

    assert (built.estimate.median_days, built.estimate.p80_days) == (40, 61)
    assert built.estimate.inquiry_date == date(2026, 3, 2) + timedelta(days=61)


@pytest.mark.parametrize("reader_zone", ["UTC", "America/Vancouver", "Asia/Tokyo"])
def test_the_inquiry_date_counts_from_the_day_received_in_the_services_time_zone(
    reader_zone: str, settings: Any
) -> None:
    settings.PASSAGE_DISPLAY_TIME_ZONE = "America/Toronto"
    # 02:30 UTC on 3 March is still 2 March in Toronto, and already 3 March in UTC and Tokyo.
    late_evening = {**status_row(), "received_at": datetime(2026, 3, 3, 2, 30, tzinfo=UTC)}

    with timezone.override(reader_zone):
        built = view(late_evening)

    assert built.estimate.inquiry_date == date(2026, 3, 2) + timedelta(days=61)


def test_with_too_few_decisions_the_inquiry_date_is_the_service_standard():
    built = view(estimate=TOO_FEW)

    assert built.estimate.median_days is None
    assert built.estimate.p80_days is None
    assert built.estimate.inquiry_date == date(2026, 3, 2) + timedelta(days=56)


def test_a_decided_case_has_no_inquiry_date():
    for status in (CaseStatus.APPROVED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        decided = status_row(status=status, decided_at=RECEIVED + timedelta(days=30))

        assert view(decided).estimate.inquiry_date is None


def test_the_json_form_holds_plain_values():
    built = view(requests=[request(Step.MEDICAL)], unread=2)

    data = built.as_json()

    assert data["public_id"] == str(uuid.UUID(int=7))
    assert data["received_at"] == RECEIVED.isoformat()
    assert data["documents_due"][0]["due_on"] == "2026-04-01"
    assert data["estimate"]["inquiry_date"] == "2026-05-02"
    assert data["unread_messages"] == 2


def test_internal_events_are_left_out_even_when_the_row_holds_them():
    # Staff read the case's events unfiltered: "what the client sees" must still hide them.
    built = view(
        status_row(
            events=[
                event(EventKind.NOTE_ADDED, 3, text="Call the employer"),
                event(EventKind.ASSIGNED, 2, officer=4),
                event(EventKind.TRIAGE_ASSESSED, 1),
                event(EventKind.SUBMITTED, 0),
            ]
        )
    )

    assert [line.text for line in built.history] == ["We received your application"]


@pytest.mark.parametrize("status", [CaseStatus.REFUSED, CaseStatus.WITHDRAWN])
def test_a_decided_case_asks_for_nothing(status):
    # A request left open in the rows (decided before decisions closed them) asks nothing.
    decided = status_row(
        status=status,
        decided_at=RECEIVED + timedelta(days=30),
        medical=StepState.WAITING_ON_YOU,
        biometrics=StepState.WAITING_ON_YOU,
    )

    built = view(decided, requests=[request(Step.MEDICAL)])

    assert built.is_open is False
    assert built.documents_due == []
    waiting = [s for s in built.steps if s.step in ("medical", "biometrics")]
    assert [(s.state, s.state_label, s.to_do) for s in waiting] == [
        ("not_needed", "No longer needed", ""),
        ("not_needed", "No longer needed", ""),
    ]
    assert all(s.to_do == "" for s in built.steps)


def test_a_step_waiting_on_the_client_of_an_open_case_says_what_to_do():
    row = status_row(
        eligibility=StepState.COMPLETED,
        medical=StepState.WAITING_ON_YOU,
        biometrics=StepState.WAITING_ON_YOU,
    )

    built = view(row, requests=[request(Step.MEDICAL)])

    assert built.is_open is True
    assert {s.step: s.to_do for s in built.steps} == {
        "eligibility": "",
        "background": "",
        "medical": "Send the documents we asked for by the due date.",
        "biometrics": (
            "Give your fingerprints and photo at a biometrics collection point. Your "
            "messages say where and by when."
        ),
    }
    assert [d.step for d in built.documents_due] == ["medical"]


def test_every_step_says_what_to_do_in_both_languages():
    row = status_row(**{step.value: StepState.WAITING_ON_YOU for step in Step})
    english = view(row)
    with translation.override("fr"):
        french = view(row)

    for in_english, in_french in zip(english.steps, french.steps, strict=True):
        assert in_english.to_do
        assert in_french.to_do
        assert in_french.to_do != in_english.to_do


def test_a_closed_request_is_in_the_history_with_its_reason():
    row = status_row(
        status=CaseStatus.REFUSED,
        events=[
            event(
                EventKind.DOCUMENTS_REQUEST_CLOSED,
                9,
                request=9,
                step="biometrics",
                reason="decided",
            ),
            event(EventKind.REFUSED, 9, reasons="Funds below the minimum."),
        ],
    )

    built = view(row)

    assert [line.text for line in built.history] == [
        "We no longer need the documents for “Biometrics”: the application was decided.",
        "A decision was made: refused",
    ]
    with translation.override("fr"):
        withdrawn = history_text(
            event(EventKind.DOCUMENTS_REQUEST_CLOSED, request=9, step="medical", reason="withdrawn")
        )
    assert "Examen médical" in withdrawn
