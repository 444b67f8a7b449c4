"""What a drill's private database holds, read straight from it (the test run's own
Django database is another one): the tables and columns are the models' own."""

from collections import Counter
from dataclasses import dataclass

from django_tasks_db.models import DBTaskResult

from passage.accounts.models import User
from passage.cases.models import Case, CaseEvent
from passage.cases.status import EventKind
from passage.intake.models import Application
from tests.drills.site import Site

APPLICATIONS = Application._meta.db_table
CASES = Case._meta.db_table
EVENTS = CaseEvent._meta.db_table
JOBS = DBTaskResult._meta.db_table
PEOPLE = User._meta.db_table


@dataclass(frozen=True)
class Stored:
    submitter: str
    idempotency_key: str
    reference: str | None


def stored_applications(site: Site) -> list[Stored]:
    rows = site.cluster.query(
        site.database,
        f"SELECT person.username, application.idempotency_key, file.reference "  # noqa: S608 - the models' tables
        f"FROM {APPLICATIONS} application "
        f"JOIN {PEOPLE} person ON person.id = application.submitted_by_id "
        f"LEFT JOIN {CASES} file ON file.application_id = application.id",
    )
    return [Stored(*row) for row in rows]


def assessments_per_case(site: Site) -> dict[str, int]:
    """Every case's reference, with its number of `triage.assessed` events."""
    rows = site.cluster.query(
        site.database,
        f"SELECT file.reference, count(event.id) FROM {CASES} file "  # noqa: S608 - the models' tables
        f"LEFT JOIN {EVENTS} event ON event.case_id = file.id AND event.kind = %s "
        "GROUP BY file.reference",
        [EventKind.TRIAGE_ASSESSED.value],
    )
    return dict(rows)


def job_statuses(site: Site) -> Counter[str]:
    rows = site.cluster.query(
        site.database,
        f"SELECT status, count(*) FROM {JOBS} GROUP BY status",  # noqa: S608 - the models' table
    )
    return Counter(dict(rows))
