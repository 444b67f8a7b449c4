"""Email triage runs without Django: a department measures the classifier on its own mail
with nothing but the repository (import-linter holds the same line in CI)."""

from tests.purity import assert_script_passes_in_a_fresh_interpreter


def test_classifying_an_email_loads_neither_django_nor_the_apps() -> None:
    script = (
        "import sys, passage.mailtriage.lines, passage.mailtriage.automatic\n"
        "from passage.mailtriage.triage import triage\n"
        "assert triage('Any update?', 'Where is my file?').language == 'en'\n"
        "allowed = ('passage.mailtriage', 'passage.cases.reference')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and m not in ('passage.cases',)"
        " and not m.startswith(allowed)))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
