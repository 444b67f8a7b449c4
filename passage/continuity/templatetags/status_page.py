"""What the status page's templates need of an outage, in the active language."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from passage.continuity.models import Component, Outage, OutageUpdate
from passage.continuity.status_selectors import State

register = template.Library()

STATE_WORDS = {
    State.OPERATIONAL: _("Working normally"),
    State.DEGRADED: _("Slow or failing at times"),
    State.MAINTENANCE: _("Under planned maintenance"),
    State.DOWN: _("Not working"),
}
SUMMARY_WORDS = {
    State.OPERATIONAL: _("Every service is working normally."),
    State.DEGRADED: _("Some services are slow or failing at times."),
    State.MAINTENANCE: _("Some services are under planned maintenance."),
    State.DOWN: _("Some services are not working."),
}


def _language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


@register.filter
def said(record: Outage | OutageUpdate, field: str) -> str:
    """An outage's `title`, `text` or `advice` (an update's `text`) in the active
    language."""
    return str(getattr(record, field)(_language()))


@register.filter
def state_words(state: str) -> str:
    """How a service is doing, in words."""
    return str(STATE_WORDS[State(state)])


@register.filter
def summary_words(state: str) -> str:
    """The page's one-line summary for the worst state of any service."""
    return str(SUMMARY_WORDS[State(state)])


@register.filter
def service_names(components: list[str]) -> str:
    """The services an outage touches, named in the active language."""
    return ", ".join(str(Component(value).label) for value in components)
