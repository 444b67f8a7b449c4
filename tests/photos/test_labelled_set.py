"""The photo checks against the labelled set (`labelled_set.py`): a good photo must be
accepted, and a faulty one refused with the code of its fault among the reasons."""

from collections import Counter

import pytest

from passage.photos.checks import CODES, PhotoCheck, check_photo
from passage.photos.limits import load_limits
from tests.photos.labelled_set import HELD_OUT_SEEDS, Labelled, labelled_set

Verdicts = list[tuple[Labelled, PhotoCheck]]


@pytest.fixture(scope="module")
def verdicts() -> Verdicts:
    limits = load_limits()
    return [(photo, check_photo(photo.data, limits)) for photo in labelled_set()]


def agrees(photo: Labelled, check: PhotoCheck) -> bool:
    if photo.label == "good":
        return check.accepted
    return not check.accepted and photo.label in {finding.code for finding in check.failures}


def test_the_set_has_60_photos_or_more_15_good_and_3_of_every_fault() -> None:
    labels = Counter(photo.label for photo in labelled_set())

    assert labels.total() >= 60
    assert labels["good"] >= 15
    assert {label: labels[label] for label in CODES if labels[label] < 3} == {}


def test_the_checks_agree_with_at_least_95_percent_of_the_labelled_photos(
    verdicts: Verdicts,
) -> None:
    disagreements = [
        (photo.label, photo.description, [finding.code for finding in check.failures])
        for photo, check in verdicts
        if not agrees(photo, check)
    ]

    assert len(disagreements) <= 0.05 * len(verdicts), disagreements


def test_the_checks_agree_as_well_on_draws_the_limits_were_not_calibrated_on() -> None:
    limits = load_limits()
    photos = labelled_set(HELD_OUT_SEEDS[0])

    agreeing = sum(agrees(photo, check_photo(photo.data, limits)) for photo in photos)

    assert agreeing >= 0.95 * len(photos)


def test_every_good_photo_of_the_set_is_accepted(verdicts: Verdicts) -> None:
    refused = [
        (photo.description, check.failures)
        for photo, check in verdicts
        if photo.label == "good" and not check.accepted
    ]

    assert refused == []


def test_every_refusal_gives_at_least_one_known_code_in_the_fixed_order(
    verdicts: Verdicts,
) -> None:
    for photo, check in verdicts:
        codes = [finding.code for finding in check.failures]
        assert check.accepted == (not codes), photo.description
        assert set(codes) <= set(CODES), photo.description
        assert codes == sorted(codes, key=CODES.index), photo.description


def test_every_decoded_photo_comes_back_as_a_jpeg_and_every_other_without_one(
    verdicts: Verdicts,
) -> None:
    for photo, check in verdicts:
        file_level = {"not_an_image", "file_too_large", "file_too_small"}
        file_level |= {"too_few_pixels", "too_many_pixels"}
        stopped = any(finding.code in file_level for finding in check.failures)
        assert (check.normalised is None) == stopped, photo.description
        if check.normalised is not None:
            assert check.normalised.startswith(b"\xff\xd8\xff"), photo.description
