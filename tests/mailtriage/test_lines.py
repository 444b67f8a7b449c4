"""`passage mail classify`'s lines, as the spec gives them."""

import json

from passage.mailtriage.lines import classify_lines

STATUS = {
    "id": "1",
    "from": "a@example.org",
    "subject": "Any update?",
    "body": "Hi, I applied in March and have heard nothing since. Where is my file?",
    "received_at": "2026-12-07T10:00:00Z",
}


def test_every_line_gets_its_result_in_order_with_the_spec_s_fields() -> None:
    lines = [
        json.dumps(STATUS),
        json.dumps(
            {
                **STATUS,
                "id": "2",
                "subject": "",
                "body": "Bonjour, je veux retirer ma demande de parrainage, nous sommes séparés.",
            }
        ),
    ]
    results = [line for line, _valid in classify_lines(lines)]
    assert [result["id"] for result in results] == ["1", "2"]
    assert set(results[0]) == {
        "id",
        "language",
        "category",
        "confidence",
        "route",
        "case_reference",
    }
    assert (results[0]["language"], results[0]["category"]) == ("en", "status-enquiry")
    assert (results[1]["language"], results[1]["category"]) == ("fr", "withdrawal")
    assert 0 <= results[0]["confidence"] <= 1
    assert results[0]["route"] in {"auto", "person"}


def test_an_invalid_line_gets_an_error_line_and_the_others_are_still_classified() -> None:
    lines = [
        "not json",
        json.dumps({"id": "x", "subject": "s"}),
        json.dumps({**STATUS, "received_at": "yesterday"}),
        json.dumps(STATUS),
    ]
    results = list(classify_lines(lines))
    assert [valid for _line, valid in results] == [False, False, False, True]
    assert results[0][0] == {"id": None, "error": results[0][0]["error"]}
    assert "body" in results[1][0]["error"]
    assert results[1][0]["id"] == "x"
    assert "received_at" in results[2][0]["error"]
    assert results[3][0]["category"] == "status-enquiry"


def test_a_threshold_of_one_sends_every_email_to_a_person() -> None:
    ((line, _valid),) = classify_lines([json.dumps(STATUS)], threshold=1.0)
    assert line["route"] == "person"
