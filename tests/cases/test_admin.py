"""Cases and their events in the admin: readable by the admin, never added, changed or
deleted there."""

import pytest
from django.urls import reverse

from passage.cases.models import Case, CaseEvent
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_user, submit_case

pytestmark = pytest.mark.django_db


def create_admin():
    """A superuser (the person who opens the admin)."""
    person = create_user()
    person.is_superuser = person.is_staff = True
    person.save(update_fields=["is_superuser", "is_staff"])
    return person


@pytest.fixture
def admin_client():
    return signed_in_with_mfa(create_admin())


def test_the_admin_lists_cases_with_filters_by_status_and_program(admin_client):
    case = submit_case()

    response = admin_client.get(reverse("admin:cases_case_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "status__exact" in html
    by_program = admin_client.get(
        reverse("admin:cases_case_changelist"), {"program__id__exact": case.program_id}
    )
    assert case.reference in by_program.content.decode()
    assert reverse("admin:cases_case_add") not in html


def test_a_case_and_its_events_are_read_only(admin_client):
    case = submit_case()
    events = CaseEvent.objects.filter(case=case).count()
    change = reverse("admin:cases_case_change", args=[case.pk])

    response = admin_client.get(change)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "case.submitted" in html or "Submitted" in html or "submitted" in html
    assert admin_client.post(change, {"status": "approved"}).status_code == 403
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
    assert admin_client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
    event = CaseEvent.objects.filter(case=case).first()
    assert (
        admin_client.get(reverse("admin:cases_caseevent_change", args=[event.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:cases_caseevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert Case.objects.get(pk=case.pk).status == case.status
    assert CaseEvent.objects.filter(case=case).count() == events
