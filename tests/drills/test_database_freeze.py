"""Drill: the database freezes. Every process of the private cluster is stopped with
SIGSTOP, so that connections stay open and the kernel still accepts new ones but nothing
ever answers (a paused virtual machine, a partition that the kernel acknowledges). Pages
and the API must answer 503 with Retry-After within their deadlines rather than hang,
save nothing, and answer normally again as soon as the database thaws.

The web server is granian as deployed, with the deadlines set short in its environment:
PASSAGE_DB_CALL_TIMEOUT for a call on an open connection and PASSAGE_DB_CONNECT_TIMEOUT
for opening one."""

import re
from urllib.parse import urlencode

import pytest

from tests.builders import api_application
from tests.drills.client import Answer, get, post_json, request
from tests.drills.records import stored_applications
from tests.drills.seed import PASSWORD
from tests.drills.site import CALL_TIMEOUT, CONNECT_TIMEOUT, RETRY_AFTER

pytestmark = [pytest.mark.drill, pytest.mark.postgres_only]

# A request meets at most the health check of its worker's open connection (one call),
# then an attempt to open a new one for the rate limit's count (a write only: the limit
# lets the request through when it cannot count) and one for the view itself.
DEADLINE = CALL_TIMEOUT + 2 * CONNECT_TIMEOUT
MARGIN = 1.5
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(port: int, username: str) -> dict[str, str]:
    """Sign in through the sign-in page as a browser does; the session's Cookie header."""
    page = get(port, "/en/sign-in/")
    token = CSRF_FIELD.search(page.body)
    assert page.status == 200, page
    assert token is not None
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
    signed_in = request(
        port,
        "POST",
        "/en/sign-in/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={page.cookies['csrftoken']}",
        },
        body=urlencode(form).encode(),
    )
    assert signed_in.status == 302, signed_in
    return {"Cookie": f"sessionid={signed_in.cookies['sessionid']}"}


def assert_unavailable_in_time(answer: Answer) -> None:
    assert answer.status == 503, answer
    assert answer.retry_after == str(RETRY_AFTER)
    assert answer.seconds < DEADLINE + MARGIN, answer.seconds


def test_drill_with_the_database_frozen_pages_and_the_api_answer_503_in_time_and_recover(
    site, template
):
    applicant = template.applicants[0]
    body = api_application(family_name="drill-freeze")
    with site.web() as web:
        browser = sign_in(web.port, applicant.username)
        api = applicant.authorization
        submitted = post_json(
            web.port, "/api/v1/applications", body, headers={**api, "Idempotency-Key": "before"}
        )
        assert submitted.status == 201, submitted
        case = f"/api/v1/cases/{submitted.json()['case_id']}"
        assert get(web.port, "/en/", headers=browser).status == 200

        with site.cluster.frozen():
            home = get(web.port, "/en/", headers=browser)
            status = get(web.port, case, headers=api)
            submission = post_json(
                web.port, "/api/v1/applications", body, headers={**api, "Idempotency-Key": "frozen"}
            )

        home_after = get(web.port, "/en/", headers=browser)
        status_after = get(web.port, case, headers=api)
        sent_again = post_json(
            web.port, "/api/v1/applications", body, headers={**api, "Idempotency-Key": "frozen"}
        )

    assert_unavailable_in_time(home)
    assert home.headers["content-type"].startswith("text/html")
    assert_unavailable_in_time(status)
    assert status.json()["detail"]
    assert_unavailable_in_time(submission)
    assert home_after.status == 200
    assert b"Signed in as" in home_after.body
    assert status_after.status == 200
    assert status_after.json()["reference"] == submitted.json()["reference"]
    # Nothing was saved while frozen: the same request sent again makes the application now.
    assert sent_again.status == 201
    assert "idempotent-replayed" not in sent_again.headers
    stored = {each.idempotency_key: each.reference for each in stored_applications(site)}
    assert stored == {
        "before": submitted.json()["reference"],
        "frozen": sent_again.json()["reference"],
    }
    print(  # the drill's figures, shown with -s
        f"503 while frozen after {home.seconds:.1f} s (home), {status.seconds:.1f} s (status), "
        f"{submission.seconds:.1f} s (submission); deadline {DEADLINE} s"
    )
