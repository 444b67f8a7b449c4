"""The status page in the forms machines read, the same for the live pages and the static
copy: a summary shaped like the Atlassian Statuspage v2 `summary.json` (so that the tools
that read those read this one), and an Atom feed of every outage. In the active language;
addresses are absolute, under `PASSAGE_SITE_URL`."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passage.continuity.models import Outage, OutageKind, OutageUpdate
from passage.continuity.status_selectors import State, StatusReport
from passage.continuity.templatetags.status_page import summary_words

PAGE_ID = "passage"
# A service's state as Statuspage names it.
COMPONENT_STATUS = {
    State.OPERATIONAL: "operational",
    State.DEGRADED: "degraded_performance",
    State.MAINTENANCE: "under_maintenance",
    State.DOWN: "major_outage",
}
# The page's overall indicator, from the worst state of any service.
INDICATOR = {
    State.OPERATIONAL: "none",
    State.DEGRADED: "minor",
    State.MAINTENANCE: "maintenance",
    State.DOWN: "major",
}


def language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def page_url() -> str:
    """The status page's address in the active language."""
    return f"{settings.PASSAGE_SITE_URL.rstrip('/')}/{language()}/status/"


def summary(report: StatusReport) -> dict[str, Any]:
    """The Statuspage v2 `summary.json` shape: the page, its overall status, every
    component, the incidents not resolved and the maintenance not completed."""
    return {
        "page": {
            "id": PAGE_ID,
            "name": "Passage",
            "url": page_url(),
            "time_zone": settings.PASSAGE_DISPLAY_TIME_ZONE,
            "updated_at": _instant(report.updated_at or report.at),
        },
        "status": {
            "indicator": INDICATOR[report.worst],
            "description": summary_words(report.worst),
        },
        "components": [
            {
                "id": item.component.value,
                "name": item.name,
                "status": COMPONENT_STATUS[item.state],
                "position": position,
                "description": None,
                "showcase": True,
                "group_id": None,
                "page_id": PAGE_ID,
                "group": False,
                "only_show_if_degraded": False,
                "created_at": None,
                "updated_at": _instant(report.at),
            }
            for position, item in enumerate(report.components, start=1)
        ],
        "incidents": [_incident(outage, report) for outage in report.incidents],
        "scheduled_maintenances": [
            _incident(outage, report)
            for outage in (*report.maintenance_now, *report.maintenance_ahead)
        ],
    }


def _incident(outage: Outage, report: StatusReport) -> dict[str, Any]:
    updates = next((e.updates for e in report.history if e.outage.pk == outage.pk), ())
    shape: dict[str, Any] = {
        "id": outage.reference,
        "name": outage.title(language()),
        "status": _status(outage.status),
        "impact": "maintenance" if outage.kind == OutageKind.PLANNED else "major",
        "created_at": _instant(outage.created_at),
        "updated_at": _instant(outage.updated_at),
        "started_at": _instant(outage.starts_at),
        "monitoring_at": _first_at(updates, "monitoring"),
        "resolved_at": _instant(outage.ends_at) if outage.is_ended else None,
        "shortlink": f"{page_url()}#{outage.reference}",
        "page_id": PAGE_ID,
        "components": [
            {"id": item.component.value, "name": item.name, "status": COMPONENT_STATUS[item.state]}
            for item in report.components
            if item.component.value in outage.components
        ],
        "incident_updates": [
            {
                "id": f"{outage.reference}-{number}",
                "incident_id": outage.reference,
                "status": _status(update.status),
                "body": update.text(language()),
                "created_at": _instant(update.at),
                "updated_at": _instant(update.at),
                "display_at": _instant(update.at),
            }
            for number, update in reversed(list(enumerate(updates, start=1)))
        ],
        # Passage's own: what clients can do instead while it lasts.
        "advice": outage.advice(language()),
    }
    if outage.kind == OutageKind.PLANNED:
        shape["scheduled_for"] = _instant(outage.starts_at)
        shape["scheduled_until"] = _instant(outage.ends_at)
    return shape


def _status(status: str) -> str:
    return status.replace("-", "_")  # "in-progress" is Statuspage's "in_progress"


def _first_at(updates: tuple[OutageUpdate, ...], status: str) -> str | None:
    return next((_instant(u.at) for u in updates if u.status == status), None)


def _instant(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat().replace("+00:00", "Z")


def atom_feed(report: StatusReport) -> str:
    """Every outage as an Atom entry, newest first: its title, its latest public text and
    what to do instead; updated whenever the outage changed."""
    url = page_url()
    feed = Atom1Feed(
        title=_("Passage service status"),
        link=url,
        description=_("Outages and planned maintenance of Passage's services."),
        language=language(),
        feed_url=f"{url}feed.atom",
        feed_guid=f"{url}feed.atom",
    )
    for entry in report.history:
        outage = entry.outage
        status = (
            _("Withdrawn: recorded in error")
            if outage.is_withdrawn
            else outage.get_status_display()
        )
        parts = [f"{outage.reference}. {status}.", outage.text(language())]
        if outage.advice(language()):
            parts.append(
                _("What to do instead: %(advice)s") % {"advice": outage.advice(language())}
            )
        feed.add_item(
            title=f"{outage.reference}: {outage.title(language())}",
            link=f"{url}#{outage.reference}",
            description="\n\n".join(part for part in parts if part),
            unique_id=f"{url}#{outage.reference}",
            pubdate=outage.created_at,
            updateddate=outage.updated_at,
        )
    return feed.writeString("utf-8")
