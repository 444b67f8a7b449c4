"""The eCOPR's credential, layout, reading and verification run without Django: a
verifier or a batch job can use them anywhere."""

import pytest

from tests.purity import assert_script_passes_in_a_fresh_interpreter


@pytest.mark.parametrize("module", ["credential", "layout", "reading", "verification"])
def test_the_ecopr_loads_neither_django_nor_the_apps(module: str) -> None:
    # The layout borrows the paper forms' fonts, and reading their page drawing; the keys
    # are written with the ground's crash-safe helpers.
    script = (
        f"import sys, passage.ecopr.{module}\n"
        "allowed = ('passage.ecopr', 'passage.paper', 'passage.durable')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('passage.') and not m.startswith(allowed)))\n"
        "print(loaded)\n"
        "assert not loaded, loaded\n"
    )
    assert_script_passes_in_a_fresh_interpreter(script)
