"""The one place that reads the clock. Everything else takes the instant as an argument."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return timezone.now()
