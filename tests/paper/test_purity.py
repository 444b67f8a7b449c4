"""The PSG1 codec runs without Django: any scanner station or batch job can use it
(import-linter holds the same line in CI)."""

from tests.purity import assert_script_passes_in_a_fresh_interpreter


def test_importing_the_symbol_codec_loads_neither_django_nor_the_apps() -> None:
    script = (
        "import sys, passage.paper.symbols\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and not m.startswith('passage.paper')))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)


def test_laying_out_a_printed_form_loads_neither_django_nor_the_apps() -> None:
    # The form's texts come from the program definitions, as pure as the rules they feed.
    script = (
        "import sys, passage.paper.layout\n"
        "allowed = ('passage.paper', 'passage.programs', 'passage.rules')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and not m.startswith(allowed)))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)


def test_reading_a_scan_loads_neither_django_nor_the_apps() -> None:
    script = (
        "import sys, passage.paper.reading\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and not m.startswith('passage.paper')))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
