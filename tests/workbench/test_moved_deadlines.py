"""The officer's file shows what relief did to each document request: the date moved and
by which outage, a statutory limit flagged, and an answer within the relief on time."""

import pytest

from passage.continuity.relief import recompute_relief
from tests.builders import create_officer
from tests.continuity.builders import DUE, answer, asked, at, incident
from tests.tracker.builders import client_of, text_of

pytestmark = pytest.mark.django_db


def file_page(request, officer) -> str:
    url = f"/en/workbench/files/{request.case.public_id}/"
    return text_of(client_of(officer).get(url).content)


def test_an_answer_after_the_set_day_but_within_the_relief_is_on_time():
    officer = create_officer()
    request = asked(officer=officer)
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))
    answer(request, at(DUE.replace(day=4), 16))

    page = file_page(request, officer)

    assert f"Moved from 2027-03-03 by outage {outage.reference}" in page
    assert "On time" in page
    assert "After the due date" not in page


def test_an_answer_after_the_due_date_with_no_outage_is_late():
    officer = create_officer()
    request = asked(officer=officer)
    answer(request, at(DUE.replace(day=4), 16))

    assert "After the due date" in file_page(request, officer)


def test_a_statutory_limit_an_outage_touched_is_flagged_on_the_file():
    officer = create_officer()
    request = asked(officer=officer, statutory=True)
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))

    page = file_page(request, officer)

    assert f"Outage {outage.reference} touched this limit set by law" in page
    assert "do not hold the delay against the client" in page
