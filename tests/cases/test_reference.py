from hypothesis import given
from hypothesis import strategies as st

from passage.cases.reference import is_valid_reference, new_reference, normalise_reference


def test_a_new_reference_carries_a_valid_check_digit():
    for _ in range(200):
        assert is_valid_reference(new_reference())


def test_references_do_not_repeat_in_a_large_draw():
    draws = {new_reference() for _ in range(20_000)}
    assert len(draws) == 20_000


@given(st.integers(min_value=1, max_value=15), st.integers(min_value=1, max_value=9))
def test_any_single_digit_typo_is_caught(position, shift):
    reference = new_reference()
    digit = (int(reference[position]) + shift) % 10
    typo = reference[:position] + str(digit) + reference[position + 1 :]
    assert not is_valid_reference(typo)


@given(st.integers(min_value=1, max_value=14))
def test_swapping_two_adjacent_different_digits_is_caught(position):
    reference = new_reference()
    a, b = reference[position], reference[position + 1]
    swapped = reference[:position] + b + a + reference[position + 2 :]
    assert is_valid_reference(swapped) == (a == b)


def test_people_may_type_the_reference_with_spaces_dashes_and_lower_case():
    reference = new_reference()
    typed = f"{reference[:4].lower()} {reference[4:9]}-{reference[9:]}"
    assert normalise_reference(typed) == reference
    assert is_valid_reference(typed)
