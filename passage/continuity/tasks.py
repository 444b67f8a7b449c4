"""Background jobs of continuity, run by the task worker (`passage task_worker`)."""

from django_tasks import task

from passage import clock
from passage.continuity.relief import recompute_relief


@task()
def relieve_for_outage(reference: str) -> dict[str, int]:
    """Bring the open obligations one outage touches (or touched) to the due dates the
    register now gives; queued by every change to that outage."""
    report = recompute_relief(now=clock.now(), reference=reference)
    return {"examined": report.examined, "moved": report.moved, "flagged": report.flagged}
