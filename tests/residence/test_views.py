"""The residence pages through Django's test client, in English and French: the client's
journey, the officer's review and batch, and the public verification page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from passage.accounts.roles import Role
from passage.intake.documents import read_whole
from passage.residence.models import Confirmation, EcoprDownload
from passage.residence.states import ConfirmationState
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_user
from tests.residence.builders import (
    DETAILS,
    approved_sponsorship,
    invitation_of,
    not_a_photo,
    officer_of,
    portrait,
    principal_account,
    ready_for_review,
)

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]+)"')


def key_on(page) -> str:
    return KEY.search(page.content.decode()).group(1)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_client_takes_up_the_invitation_and_does_each_part_page_by_page(language):
    case = approved_sponsorship()
    client = signed_in_with_mfa(principal_account())
    principal, token = invitation_of(case)
    link = f"/{language}/residence/invitation/{principal.public_id}/{token}/"
    assert (
        client.get(
            f"/{language}/residence/invitation/{principal.public_id}/{'0' * 40}/"
        ).status_code
        == 404
    )
    invitation = client.get(link)
    assert invitation.status_code == 200
    client.post(link, {"idempotency_key": key_on(invitation)})
    assert client.get(f"/{language}/residence/").status_code == 200
    principal = Confirmation.objects.get(case=case)
    base = f"/{language}/residence/{principal.public_id}/"

    page = client.get(base + "declaration/")
    refused = client.post(
        base + "declaration/", {"city": "Ottawa", "province": "ON", "idempotency_key": key_on(page)}
    )
    assert refused.status_code == 422
    page = client.get(base + "declaration/")
    client.post(
        base + "declaration/",
        {"in_canada": "on", "city": "Ottawa", "province": "ON", "idempotency_key": key_on(page)},
    )
    page = client.get(base + "address/")
    wrong = client.post(
        base + "address/",
        {
            "line": "1 Main St",
            "city": "Ottawa",
            "province": "ON",
            "postal_code": "H2X 1Y4",
            "idempotency_key": key_on(page),
        },
    )
    assert wrong.status_code == 422
    assert "K" in wrong.content.decode()
    page = client.get(base + "address/")
    client.post(
        base + "address/",
        {
            "line": "1 Main St",
            "city": "Ottawa",
            "province": "ON",
            "postal_code": "K1A 0B1",
            "idempotency_key": key_on(page),
        },
    )
    page = client.get(base + "photo/")
    client.post(
        base + "photo/",
        {"photo": SimpleUploadedFile("wall.jpg", not_a_photo()), "idempotency_key": key_on(page)},
    )
    rejected = client.get(base + "photo/")
    assert rejected.status_code == 200
    assert (
        "could not find a face" if language == "en" else "pas trouvé de visage"
    ) in rejected.content.decode()
    client.post(
        base + "photo/",
        {"photo": SimpleUploadedFile("me.jpg", portrait()), "idempotency_key": key_on(rejected)},
    )
    overview = client.get(base)
    client.post(base + "send/", {"idempotency_key": key_on(overview)})

    principal.refresh_from_db()
    assert principal.state == ConfirmationState.READY_FOR_REVIEW


def test_an_officer_confirms_from_the_review_page_and_the_client_downloads_the_ecopr():
    person, principal = ready_for_review()
    officer = signed_in_with_mfa(officer_of(principal))
    page = officer.get(f"/en/residence/review/{principal.public_id}/")
    assert page.status_code == 200
    photo = officer.get(f"/en/residence/review/{principal.public_id}/photos/{principal.photo_id}/")
    assert photo["Content-Type"] == "image/jpeg"

    officer.post(
        f"/en/residence/review/{principal.public_id}/confirm/",
        {
            "idempotency_key": key_on(page),
            "uci": DETAILS.uci,
            "place_of_birth": DETAILS.place_of_birth,
            "country_of_birth": "FR",
            "sex": "M",
            "citizenship": "FR",
            "travel_document_number": DETAILS.travel_document_number,
            "travel_document_country": "FR",
            "travel_document_expiry_0": "1",
            "travel_document_expiry_1": "5",
            "travel_document_expiry_2": "2031",
        },
    )

    principal.refresh_from_db()
    assert principal.state == ConfirmationState.CONFIRMED
    client = signed_in_with_mfa(person)
    download = client.get(f"/fr/residence/{principal.public_id}/ecopr/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert EcoprDownload.objects.filter(person=person).count() == 1


def test_a_batch_from_the_queue_confirms_the_ticked_people():
    _, principal = ready_for_review()
    Confirmation.objects.filter(pk=principal.pk).update(**vars(DETAILS))
    officer = signed_in_with_mfa(officer_of(principal))
    queue = officer.get("/fr/residence/review/")
    assert queue.status_code == 200

    officer.post(
        "/fr/residence/review/",
        {"idempotency_key": key_on(queue), "confirmations": [str(principal.public_id)]},
    )

    assert Confirmation.objects.get(pk=principal.pk).state == ConfirmationState.CONFIRMED


def test_a_client_cannot_open_someone_elses_confirmation_nor_the_review_pages():
    _, principal = ready_for_review()
    stranger = signed_in_with_mfa(create_user(Role.APPLICANT))

    assert stranger.get(f"/en/residence/{principal.public_id}/").status_code == 404
    assert stranger.get(f"/en/residence/review/{principal.public_id}/").status_code in (403, 404)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_anyone_can_check_an_ecopr_on_the_public_page(language):
    _, principal = ready_for_review()
    from passage.residence import review

    review.confirm_residence(
        officer=officer_of(principal),
        confirmation_id=principal.public_id,
        details=DETAILS,
        idempotency_key="c",
    )
    document = principal.ecoprs.get()
    content = read_whole(document.storage_key, document.sha256)
    visitor = Client()

    genuine = visitor.post(
        f"/{language}/verify/", {"document": SimpleUploadedFile("e.pdf", content)}
    )
    changed = bytearray(content)
    changed[len(changed) // 3] ^= 1
    altered = visitor.post(
        f"/{language}/verify/", {"document": SimpleUploadedFile("e.pdf", bytes(changed))}
    )

    assert "Quincampoix" in genuine.content.decode()
    assert ("Genuine" if language == "en" else "Authentique") in genuine.content.decode()
    assert "Quincampoix" not in altered.content.decode()
    assert visitor.get(f"/{language}/verify/revoked.json").json()["revoked"] == []
