"""Background jobs of the workbench, run by the task worker (`passage task_worker`)."""

from django_tasks import task

from passage.workbench import services


@task()
def route_open_cases() -> dict[str, int]:
    """Run the batch optimiser over the open files nobody has started."""
    run = services.route_open_cases()
    return {"run": run.pk, "assigned": run.assigned, "unassigned": run.unassigned}
