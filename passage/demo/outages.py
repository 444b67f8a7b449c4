"""The demo's outage register: an incident the department had and resolved, and a long
maintenance announced for the day the demo's follow-up documents are due, so that the
status page has a history and an announcement, and those clients' trackers show the
date it moved. Recorded through the real services, keyed, so a second load adds
nothing."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from passage.accounts.models import User
from passage.continuity.models import OutageStatus
from passage.continuity.relief import recompute_relief
from passage.continuity.services import record_incident, record_maintenance
from passage.demo import data

OTTAWA = ZoneInfo("America/Toronto")


def ensure_outages(people: dict[str, User], anchor: datetime) -> None:
    """Record the demo's two outages (once) and apply relief as of the anchor."""
    supervisor = people["supervisor"]
    # Just before the anchor, as everything the demo does.
    recorded = anchor - timedelta(minutes=3)
    incident_day = (anchor - timedelta(days=10)).astimezone(OTTAWA).date()
    started = datetime.combine(incident_day, time(14, 5), tzinfo=OTTAWA)
    record_incident(
        actor=supervisor,
        components=["messages"],
        starts_at=started,
        ends_at=started + timedelta(minutes=47),
        status=OutageStatus.RESOLVED,
        texts=data.INCIDENT_TEXTS,
        idempotency_key="demo-incident",
        now=recorded,
    )
    due_day = (anchor + timedelta(days=data.FOLLOW_UP_DUE_DAYS)).date()
    record_maintenance(
        actor=supervisor,
        components=["uploads", "tracker"],
        starts_at=datetime.combine(due_day, time(9), tzinfo=OTTAWA),
        ends_at=datetime.combine(due_day, time(14), tzinfo=OTTAWA),
        texts=data.MAINTENANCE_TEXTS,
        idempotency_key="demo-maintenance",
        now=recorded,
    )
    recompute_relief(now=recorded + timedelta(minutes=1))
