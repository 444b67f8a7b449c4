"""The demo's staff still have work within their reach: the demo officer has files in
review they may act on, and the demo supervisor reads them."""

from datetime import UTC, datetime

import pytest

from passage.accounts.models import User
from passage.cases.commands.who import staff_file_refusal
from passage.cases.status import CaseStatus
from passage.demo.load import load_demo
from passage.demo.specs import FORCED
from passage.workbench.selectors import files_in_reach

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)


def test_the_demo_officer_has_files_in_review_to_work_and_their_supervisor_reads_them():
    load_demo(size=len(FORCED) + 15, now=NOW)
    officer = User.objects.get(username="officer")
    supervisor = User.objects.get(username="supervisor")

    in_review = files_in_reach(officer).filter(status=CaseStatus.IN_REVIEW)
    workable = [case for case in in_review if staff_file_refusal(case, officer) is None]

    assert workable
    assert all(case.assigned_to == officer for case in workable)
    assert set(workable) <= set(files_in_reach(supervisor))
