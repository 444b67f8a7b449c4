"""References are found as clients write them, and never invented."""

import pytest

from passage.cases.reference import damm_check_digit
from passage.mailtriage.references import find_reference

BODY = "12345678901234"
REFERENCE = f"P{BODY}{damm_check_digit(BODY)}"
WRONG_CHECK = f"P{BODY}{(damm_check_digit(BODY) + 1) % 10}"


@pytest.mark.parametrize(
    "written",
    [
        REFERENCE,
        REFERENCE.lower(),
        f"P {REFERENCE[1:5]} {REFERENCE[5:9]} {REFERENCE[9:13]} {REFERENCE[13:]}",
        f"P-{REFERENCE[1:4]}-{REFERENCE[4:7]}-{REFERENCE[7:10]}-{REFERENCE[10:13]}-{REFERENCE[13:]}",
        f"dossier n°{REFERENCE}",
        f"File number: {REFERENCE}.",
        f"({REFERENCE})",
    ],
)
def test_a_reference_written_as_clients_write_it_is_found_normalised(written: str) -> None:
    assert find_reference(f"Hello, about {written} thanks") == REFERENCE


@pytest.mark.parametrize(
    "text",
    [
        WRONG_CHECK,  # the check digit fails
        REFERENCE[1:],  # no P: a phone or passport number could look the same
        REFERENCE + "7",  # 16 digits
        "A" + REFERENCE,  # the end of another code
        "E001234567 and F000123456",  # the older file numbers
        "UCI 1234-5678, passport AB1234567, call 514-555-0199",
    ],
)
def test_what_is_not_a_reference_is_reported_as_absent(text: str) -> None:
    assert find_reference(text) is None


def test_the_subject_is_read_before_the_body_and_a_wrong_number_does_not_hide_a_right_one() -> None:
    other_body = "98765432109876"
    other = f"P{other_body}{damm_check_digit(other_body)}"
    assert find_reference(f"Re: {other}", f"my file {REFERENCE}") == other
    assert find_reference("", f"first {WRONG_CHECK} then {REFERENCE}") == REFERENCE


@pytest.mark.parametrize(
    "text",
    [
        "P" + "".join(chr(0xFF10 + int(digit)) for digit in REFERENCE[1:]),  # full-width digits
        "é" + REFERENCE,  # the end of a word
        REFERENCE + "-9876",  # the start of a longer number
    ],
)
def test_look_alikes_of_a_reference_are_not_one(text: str) -> None:
    assert find_reference(text) is None
