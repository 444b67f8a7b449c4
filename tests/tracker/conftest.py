from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Estimates are cached per program and day: each test computes its own."""
    cache.clear()
    yield
    cache.clear()
