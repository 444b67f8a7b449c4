"""`check_photo` on chosen uploads: it never raises, judges a file by its content, turns a
photo upright, hands back a plain JPEG, and follows the limits it is given."""

import io
import threading
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from passage.photos.checks import PhotoCheck, check_photo
from passage.photos.limits import LIMITS_FILE, PhotoLimits, load_limits
from tests.photos.labelled_set import (
    Framing,
    jpeg,
    png,
    portrait_on,
    turned_exif,
    with_size,
)

LIMITS = load_limits()


@cache
def upright() -> np.ndarray:
    """A good photo, 600 x 840."""
    return portrait_on(Framing(), np.random.default_rng(7))


def measures(check: PhotoCheck) -> dict[str, float | None]:
    return {finding.measure: finding.measured for finding in check.failures + check.passed}


def codes(check: PhotoCheck) -> list[str]:
    return [finding.code for finding in check.failures]


# -- Whatever the bytes ------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=4096),
        st.binary(max_size=4096).map(lambda tail: b"\xff\xd8\xff" + tail),
        st.binary(max_size=4096).map(lambda tail: b"\x89PNG\r\n\x1a\n" + tail),
    )
)
def test_no_bytes_make_the_check_raise(data: bytes) -> None:
    check = check_photo(data, LIMITS)

    assert not check.accepted
    assert check.failures


def test_a_photo_cut_off_anywhere_or_damaged_never_makes_the_check_raise() -> None:
    small = portrait_on(Framing(width=420, height=588), np.random.default_rng(1))
    rng = np.random.default_rng(2)
    for whole in (jpeg(small), png(small)):
        for cut in np.linspace(0, len(whole), 12, endpoint=False, dtype=int):
            assert isinstance(check_photo(whole[:cut], LIMITS), PhotoCheck)
        for _ in range(8):
            damaged = bytearray(whole)
            for at in rng.integers(0, len(whole), 20):
                damaged[at] = int(rng.integers(0, 256))
            assert isinstance(check_photo(bytes(damaged), LIMITS), PhotoCheck)


def test_bytes_in_any_wrapper_are_read_and_anything_else_is_not_an_image() -> None:
    data = jpeg(upright())

    assert check_photo(bytearray(data), LIMITS).accepted
    assert check_photo(memoryview(data), LIMITS).accepted
    assert codes(check_photo("a photo", LIMITS)) == ["not_an_image"]  # type: ignore[arg-type]


def test_a_decompression_bomb_is_refused_from_its_header_without_being_decoded() -> None:
    check = check_photo(with_size(jpeg(upright()), 60000, 60000), LIMITS)

    assert codes(check) == ["too_many_pixels", "too_many_pixels"]
    assert [finding.measured for finding in check.failures] == [60000, 60000]
    assert (check.width, check.height) == (60000, 60000)
    assert check.normalised is None


# -- Judged by content ---------------------------------------------------------------------


def test_a_png_sent_as_a_jpeg_is_judged_by_its_content() -> None:
    # No name reaches the check: a PNG named photo.jpg is read as the PNG it is.
    check = check_photo(png(upright()), LIMITS)

    assert check.accepted, check.failures
    assert check.format == "PNG"
    assert check.normalised is not None
    assert Image.open(io.BytesIO(check.normalised)).format == "JPEG"


def test_a_gif_or_a_pdf_is_not_an_image_whatever_it_is_called() -> None:
    gif = io.BytesIO()
    Image.fromarray(upright()).save(gif, format="GIF")

    for data in (gif.getvalue(), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"):
        check = check_photo(data, LIMITS)
        assert codes(check) == ["not_an_image"]
        assert (check.format, check.width, check.normalised) == (None, None, None)


def test_a_photo_stored_on_its_side_is_turned_upright_by_its_exif_orientation() -> None:
    on_its_side = np.ascontiguousarray(np.rot90(upright(), 1))

    turned = check_photo(jpeg(on_its_side, exif=turned_exif(6)), LIMITS)
    not_turned = check_photo(jpeg(on_its_side), LIMITS)

    assert turned.accepted, turned.failures
    assert (turned.width, turned.height) == (600, 840)
    assert turned.normalised is not None
    copy = np.asarray(Image.open(io.BytesIO(turned.normalised)).convert("RGB"), dtype=float)
    assert copy.shape == (840, 600, 3)
    assert np.abs(copy - upright()).mean() < 4  # the upright photo, but for JPEG's losses
    assert (not_turned.width, not_turned.height) == (840, 600)
    assert "wrong_shape" in codes(not_turned)


def test_the_copy_handed_back_is_a_baseline_jpeg_with_no_metadata() -> None:
    upload = jpeg(upright(), exif=turned_exif(1), icc_profile=b"\x00" * 4000)

    check = check_photo(upload, LIMITS)

    assert check.normalised is not None
    copy = Image.open(io.BytesIO(check.normalised))
    assert copy.format == "JPEG"
    assert copy.mode == "RGB"
    assert not copy.info.get("progressive")
    assert not copy.getexif()
    assert "icc_profile" not in copy.info
    assert b"Exif\x00\x00" not in check.normalised
    assert b"Phone maker" not in check.normalised


# -- What is reported --------------------------------------------------------------------


def test_a_good_photo_passes_every_check_with_its_measure() -> None:
    check = check_photo(jpeg(upright()), LIMITS)

    assert check.accepted
    assert check.failures == ()
    assert {finding.code for finding in check.passed} >= {
        "file_too_small",
        "too_many_pixels",
        "wrong_shape",
        "no_face",
        "head_too_small",
        "off_centre",
        "background_not_plain",
        "blurry",
        "too_dark",
        "too_bright",
    }
    assert all(finding.measured is not None for finding in check.passed)
    head = measures(check)["head_height_percent"]
    assert head is not None
    assert 44 <= head <= 51


def test_a_failure_of_the_file_ends_the_check_there() -> None:
    tiny = jpeg(upright(), quality=2)

    check = check_photo(tiny, LIMITS)

    assert codes(check) == ["file_too_small"]
    assert check.failures[0].expected == (LIMITS.min_bytes, LIMITS.max_bytes)
    assert "faces" not in measures(check)
    assert check.normalised is None


def test_without_a_face_the_head_is_not_measured_but_the_rest_is() -> None:
    blank = np.full((840, 600, 3), 240, np.uint8)
    blank += np.random.default_rng(3).integers(0, 8, blank.shape, dtype=np.uint8)

    check = check_photo(jpeg(blank), LIMITS)

    assert "no_face" in codes(check)
    assert "head_height_percent" not in measures(check)
    assert "centre_offset_percent" not in measures(check)
    assert {"background_luminance", "face_luminance", "sharpness"} <= measures(check).keys()


def test_checks_run_in_several_threads_at_once_give_the_answers_of_one() -> None:
    uploads = [jpeg(upright()), png(upright()), jpeg(upright()[:, ::-1].copy())]
    alone = [check_photo(upload, LIMITS) for upload in uploads]
    together: dict[int, list[PhotoCheck]] = {}

    def work(number: int) -> None:
        together[number] = [check_photo(upload, LIMITS) for upload in uploads]

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(answers == alone for answers in together.values())


# -- The limits --------------------------------------------------------------------------


def limits_file(tmp_path: Path, **changes: object) -> Path:
    document = yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))
    for name, value in changes.items():
        if value is None:
            del document[name]
        else:
            document[name] = value
    path = tmp_path / "limits.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_limits_read_from_another_file_change_the_verdict(tmp_path: Path) -> None:
    stricter = load_limits(
        limits_file(
            tmp_path,
            min_width={"value": 700, "why": "a sharper print"},
            formats={"value": ["JPEG"], "why": "JPEG only"},
        )
    )

    assert isinstance(stricter, PhotoLimits)
    assert check_photo(jpeg(upright()), LIMITS).accepted
    narrow = check_photo(jpeg(upright()), stricter)
    assert codes(narrow) == ["too_few_pixels"]
    assert narrow.failures[0].measured == 600
    assert narrow.failures[0].expected == (700, 4000)
    assert codes(check_photo(png(upright()), stricter)) == ["not_an_image"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_sharpness": None}, "missing entries: min_sharpness"),
        ({"max_smile": {"value": 3, "why": "no"}}, "unknown entries: max_smile"),
        ({"min_bytes": {"value": 100}}, "min_bytes: give the 'source' or say 'why'"),
        ({"min_bytes": 100}, "min_bytes: expected a mapping with a 'value'"),
        ({"min_width": {"value": "wide", "why": "x"}}, "min_width: expected a positive whole"),
        ({"face_luminance": {"value": [200, 90], "why": "x"}}, "face_luminance: the low end"),
        ({"formats": {"value": ["GIF"], "why": "x"}}, "formats: expected a list of some of"),
        ({"min_bytes": {"value": 10, "why": "x", "note": "y"}}, "min_bytes: unknown keys: note"),
        ({"min_bytes": {"value": 9_000_000, "why": "x"}}, "min_bytes is above max_bytes"),
    ],
)
def test_a_wrong_limits_file_is_refused_with_the_entry_named(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"limits.yaml: .*{message}"):
        load_limits(limits_file(tmp_path, **changes))


def test_a_limits_file_that_is_not_a_mapping_or_not_yaml_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "listed.yaml"
    listed.write_text("- 1\n- 2\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("formats: [JPEG\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"listed.yaml: expected a mapping"):
        load_limits(listed)
    with pytest.raises(ValueError, match=r"broken.yaml: cannot be read as YAML"):
        load_limits(broken)
