import pytest


@pytest.fixture(autouse=True)
def _journal_in_tmp(settings, tmp_path):
    """Each test spools into a journal of its own."""
    settings.PASSAGE_SPOOL = "journal"
    settings.PASSAGE_SPOOL_DIR = tmp_path / "spool"
