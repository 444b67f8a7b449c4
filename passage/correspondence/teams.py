"""Which team reads which category of email: `PASSAGE_MAIL_TEAMS` in the settings, each
category to a team's code, and each team's name in both languages."""

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passage.correspondence.models import Category

TEAM_NAMES: dict[str, Promise] = {
    "client-services": _("Client services"),
    "documents": _("Documents"),
    "urgent-processing": _("Urgent processing"),
    "technical-support": _("Technical support"),
    "client-records": _("Client records"),
    "case-processing": _("Case processing"),
    "client-relations": _("Client relations"),
}
DEFAULT_TEAMS: dict[str, str] = {
    Category.STATUS_ENQUIRY: "client-services",
    Category.DOCUMENT_SUBMISSION: "documents",
    Category.URGENT_TRAVEL: "urgent-processing",
    Category.TECHNICAL_PROBLEM: "technical-support",
    Category.CHANGE_OF_INFORMATION: "client-records",
    Category.WITHDRAWAL: "case-processing",
    Category.COMPLAINT: "client-relations",
    Category.OTHER: "client-services",
}


def team_for(category: str) -> str:
    """The team whose queue an email of this category goes to."""
    return {**DEFAULT_TEAMS, **settings.PASSAGE_MAIL_TEAMS}.get(
        category, DEFAULT_TEAMS[Category.OTHER]
    )


def team_name(team: str) -> str:
    """A team's name in the active language (its code when it has none)."""
    return str(TEAM_NAMES.get(team, team))
