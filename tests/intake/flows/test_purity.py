"""The flow engine and its loader run without Django, like the rules engine they feed."""

from tests.purity import assert_script_passes_in_a_fresh_interpreter


def test_importing_the_flow_engine_loads_neither_django_nor_the_apps() -> None:
    script = (
        "import sys, passage.intake.flows.engine, passage.programs.questions\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.')"
        " and not m.startswith(('passage.intake', 'passage.rules', 'passage.programs'))))\n"
        "loaded += [m for m in sys.modules if m.startswith('passage.intake.')"
        " and not m.startswith('passage.intake.flows')]\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
