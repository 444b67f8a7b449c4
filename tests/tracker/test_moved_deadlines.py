"""The client's tracker says in plain words when an outage moved a due date, and why."""

import pytest

from passage.continuity.relief import recompute_relief
from tests.continuity.builders import DUE, asked, at, incident
from tests.tracker.builders import case_page_url, client_of, text_of

pytestmark = pytest.mark.django_db


def moved_request():
    request = asked()
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))
    return request, outage


def test_the_tracker_says_the_date_moved_from_the_set_day_because_of_the_outage():
    request, outage = moved_request()
    client = client_of(request.case.application.applicant)

    page = text_of(client.get(case_page_url("case", request.case)).content)

    assert (
        f"This date moved from 3 March 2027 to 4 March 2027 because of outage "
        f"{outage.reference}. You did not need to ask for it." in page
    )
    assert (
        f"A due date moved from 3 March 2027 to 4 March 2027 because of outage {outage.reference}."
        in page
    )


def test_the_french_tracker_says_it_in_french():
    request, outage = moved_request()
    client = client_of(request.case.application.applicant)

    page = text_of(client.get(case_page_url("case", request.case, "fr")).content)

    assert f"panne {outage.reference}" in page
    assert "4\u00a0mars 2027" in page or "4 mars 2027" in page


def test_a_flagged_statutory_limit_is_explained_without_a_new_date():
    request = asked(statutory=True)
    outage = incident(at(DUE, 10), at(DUE, 12))
    recompute_relief(now=at(DUE, 13))
    client = client_of(request.case.application.applicant)

    page = text_of(client.get(case_page_url("case", request.case)).content)

    assert "This date is set by law and cannot move" in page
    assert outage.reference in page
    assert "This date moved" not in page
