"""The supervisor's page of background jobs: failed jobs with their file and error and a
button that sends each again (once per click, however often the form is replayed), jobs
left running by a worker that stopped, and the files still waiting for triage. Officers
cannot open it."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from passage import clock
from passage.cases.models import Case
from passage.jobs.models import WorkerHeartbeat
from passage.triage.tasks import triage_submitted_case
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import submit_case
from tests.workbench.builders import create_skilled_officer, create_supervisor

pytestmark = pytest.mark.django_db

PAGE = "/en/workbench/supervision/jobs/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def submitted() -> Case:
    """A submitted file, without the triage job its submission queued: each test makes
    the job it needs."""
    case = submit_case()
    DBTaskResult.objects.all().delete()
    return case


def triage_job(case: Case, *, status: str, worker: str = "", started_ago: float = 0):
    result = triage_submitted_case.enqueue(str(case.public_id))
    fields: dict[str, object] = {"status": status}
    if worker:
        fields["worker_ids"] = [worker]
        fields["started_at"] = clock.now() - timedelta(seconds=started_ago)
    if status == "FAILED":
        fields["exception_class_path"] = "passage.rules.errors.RuleError"
        fields["traceback"] = "Traceback…\nRuleError: the ruleset has no version for this date"
    DBTaskResult.objects.filter(pk=result.id).update(**fields)
    return DBTaskResult.objects.get(pk=result.id)


def test_a_supervisor_sees_failed_and_abandoned_jobs_but_not_a_live_workers_long_job(
    settings,
):
    settings.PASSAGE_WORKER_LEASE_SECONDS = 60
    failed_case, dead_case, busy_case = submitted(), submitted(), submitted()
    triage_job(failed_case, status="FAILED")
    triage_job(dead_case, status="RUNNING", worker="killed-worker", started_ago=600)
    triage_job(busy_case, status="RUNNING", worker="busy-worker", started_ago=600)
    now = clock.now()
    WorkerHeartbeat.objects.create(worker_id="busy-worker", started_at=now, seen_at=now)
    Case.objects.update(received_at=now - timedelta(minutes=10))

    response = signed_in_with_mfa(create_supervisor()).get(PAGE)

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert failed_case.reference in text
    assert "the ruleset has no version for this date" in text
    assert dead_case.reference in text
    assert busy_case.reference not in text
    assert "3 files are still waiting for triage." in text


def test_send_again_queues_the_failed_job_once_even_when_the_form_is_replayed():
    case = submitted()
    failed = triage_job(case, status="FAILED")
    client = signed_in_with_mfa(create_supervisor())
    form = {"job": str(failed.pk), "idempotency_key": uuid.uuid4().hex}

    first = client.post(PAGE, form, follow=True)
    client.post(PAGE, form)

    assert "The job was sent again." in first.content.decode()
    again = DBTaskResult.objects.filter(status="READY")
    assert [job.args_kwargs["args"] for job in again] == [[str(case.public_id)]]


def test_send_again_on_a_job_that_did_not_fail_says_so_and_queues_nothing():
    ready = triage_job(submitted(), status="READY")
    client = signed_in_with_mfa(create_supervisor())

    response = client.post(
        PAGE, {"job": str(ready.pk), "idempotency_key": uuid.uuid4().hex}, follow=True
    )

    assert "This job did not fail, or is already gone." in response.content.decode()
    assert DBTaskResult.objects.count() == 1


def test_an_officer_can_neither_open_the_page_nor_send_a_job_again():
    failed = triage_job(submitted(), status="FAILED")
    client: Client = signed_in_with_mfa(create_skilled_officer())

    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, {"job": str(failed.pk), "idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 403
    assert DBTaskResult.objects.count() == 1
