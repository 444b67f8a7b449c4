"""Background jobs of triage, run by the task worker (`passage task_worker`)."""

from uuid import UUID

from django_tasks import task

from passage.triage import services


@task()
def triage_submitted_case(case_id: str) -> str:
    """Assess a newly submitted file; returns the tier it got ("" if none)."""
    case = services.triage_case(case_id=UUID(case_id))
    return str(case.tier or "")


@task()
def retriage_open_cases(program: str = "") -> dict[str, int]:
    """Re-assess every open file (of one program, or all) with the rules in force."""
    report = services.retriage_open_cases(program=program or None)
    return {
        "assessed": report.assessed,
        "unchanged": report.unchanged,
        "changed": len(report.changed),
    }
