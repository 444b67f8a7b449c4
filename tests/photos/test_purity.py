"""The photo check runs without Django: a batch job or another service can judge photos
with nothing but the repository."""

from tests.purity import assert_script_passes_in_a_fresh_interpreter


def test_checking_a_photo_loads_neither_django_nor_the_apps() -> None:
    script = (
        "import sys\n"
        "from passage.photos.checks import check_photo\n"
        "from passage.photos.limits import load_limits\n"
        "assert check_photo(b'not a photo', load_limits()).failures[0].code == 'not_an_image'\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and not m.startswith('passage.photos')))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
