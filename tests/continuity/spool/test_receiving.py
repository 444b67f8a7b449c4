"""A submission that cannot reach the database is kept and answered 202 with a receipt;
the receipt page says so in both languages without the database."""

import pytest
from django.urls import reverse
from django.utils import translation

from passage.accounts.roles import Role
from passage.accounts.services import issue_api_token
from passage.cases.models import Case
from tests.builders import create_program, create_user
from tests.continuity.spool.support import journal, submit
from tests.support.outage import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def token():
    create_program("iec")
    return issue_api_token(user=create_user(Role.APPLICANT), name="phone")


def test_a_submission_while_the_database_is_down_is_answered_202_with_a_receipt(token):
    with database_down():
        response = submit(token)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "received"
    assert body["receipt_url"] == f"/en/receipts/{body['receipt']}/"
    assert response["Location"] == body["receipt_url"]
    (delivery,) = journal().pending()
    assert delivery.record.receipt == body["receipt"]
    assert delivery.record.received_at.isoformat() == body["received_at"].replace("Z", "+00:00")
    assert Case.objects.count() == 0


def test_the_unchecked_token_is_kept_only_as_its_digest(token):
    with database_down():
        submit(token)

    (delivery,) = journal().pending()
    assert delivery.record.token_digest is not None
    assert token not in (journal().folder / "segment-000001.log").read_text()


def test_an_application_in_french_gets_the_french_receipt_page(token):
    with database_down():
        body = submit(token, preferred_language="fr").json()

    with translation.override("fr"):
        french = reverse("receipts:receipt", kwargs={"receipt": body["receipt"]})
    assert french.startswith("/fr/")
    assert body["receipt_url"] == french


def test_the_receipt_page_answers_in_both_languages_without_the_database(token, client):
    with database_down():
        receipt = submit(token).json()["receipt"]
        english = client.get(f"/en/receipts/{receipt}/")
        with translation.override("fr"):
            french = client.get(reverse("receipts:receipt", kwargs={"receipt": receipt}))

    assert english.status_code == 200
    text = english.content.decode()
    assert receipt in text
    assert "Your reference number will follow by email." in text
    assert "Keep this receipt number" in text
    assert french.status_code == 200
    assert '<html lang="fr">' in french.content.decode()
    assert receipt in french.content.decode()


def test_a_receipt_nobody_was_given_is_not_found(client):
    assert client.get("/en/receipts/RAAAAAAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/en/receipts/not-a-receipt/").status_code == 404


def test_with_the_spool_off_an_outage_is_still_a_503(token, settings):
    settings.PASSAGE_SPOOL = "off"

    with database_down():
        response = submit(token)

    assert response.status_code == 503


def test_a_spool_that_cannot_keep_it_either_is_a_503_and_nothing_is_kept(token, settings):
    settings.PASSAGE_SPOOL_DIR = "/proc/no-such-folder/spool"

    with database_down():
        response = submit(token)

    assert response.status_code == 503
    assert "nothing was saved" in response.json()["detail"]


def test_a_malformed_document_is_refused_before_anything_is_kept(token):
    with database_down():
        response = submit(
            token,
            documents=[{"kind": "passport", "filename": "p.pdf", "content_base64": "@@@"}],
        )

    assert response.status_code == 422
    assert list(journal().pending()) == []


def test_with_the_database_up_a_submission_is_filed_at_once(token):
    response = submit(token)

    assert response.status_code == 201
    assert list(journal().pending()) == []
