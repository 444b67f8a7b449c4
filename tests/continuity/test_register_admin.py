"""The outage register in the admin: readable, with each outage's trail, and never added,
changed or deleted there."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from passage import clock
from passage.continuity import services
from passage.forms import new_idempotency_key
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_user
from tests.workbench.builders import create_supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    person = create_user()
    person.is_superuser = person.is_staff = True
    person.save(update_fields=["is_superuser", "is_staff"])
    return signed_in_with_mfa(person)


def test_an_outage_and_its_trail_are_read_only_in_the_admin(admin_client: Client) -> None:
    outage = services.record_incident(
        actor=create_supervisor(),
        components=["email"],
        starts_at=clock.now() - timedelta(hours=1),
        texts={"title_en": "Emails are late", "title_fr": "Les courriels sont en retard"},
        idempotency_key=new_idempotency_key(),
    ).outage
    change = reverse("admin:continuity_outage_change", args=[outage.pk])

    listed = admin_client.get(reverse("admin:continuity_outage_changelist")).content.decode()
    shown = admin_client.get(change)

    assert outage.reference in listed
    assert reverse("admin:continuity_outage_add") not in listed
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert admin_client.post(change, {"status": "resolved"}).status_code == 403
    assert admin_client.get(reverse("admin:continuity_outage_add")).status_code == 403
    delete = reverse("admin:continuity_outage_delete", args=[outage.pk])
    assert admin_client.get(delete).status_code == 403
    outage.refresh_from_db()
    assert outage.status == "investigating"
