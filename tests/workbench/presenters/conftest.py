"""Presenter tests read files that triage sends to blind review only where they ask."""

import pytest


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
