import pytest
from django.utils import timezone

from passage.accounts.models import ApiToken
from passage.accounts.roles import Role
from passage.accounts.selectors import user_for_api_token
from tests.accounts.builders import api_token
from tests.builders import create_user

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_only_its_hash_is_kept():
    person = create_user(Role.APPLICANT)

    raw = api_token(person, "phone")

    stored = ApiToken.objects.get(user=person)
    assert raw.startswith("psg_")
    assert raw not in stored.token_hash
    assert stored.token_hash == ApiToken.hash(raw)


def test_a_token_identifies_its_holder_with_their_roles():
    person = create_user(Role.REPRESENTATIVE, Role.SPONSOR)
    raw = api_token(person, "office")

    found = user_for_api_token(raw_token=raw)

    assert found == person
    assert found.has_role(Role.REPRESENTATIVE)
    assert found.has_role(Role.SPONSOR)
    assert not found.has_role(Role.OFFICER)
    assert not found.is_department_staff


def test_a_revoked_token_or_a_deactivated_account_authenticates_nobody():
    revoked_holder, inactive_holder = create_user(), create_user()
    revoked = api_token(revoked_holder, "old phone")
    inactive = api_token(inactive_holder, "phone")
    ApiToken.objects.filter(user=revoked_holder).update(revoked_at=timezone.now())
    inactive_holder.is_active = False
    inactive_holder.save()

    assert user_for_api_token(raw_token=revoked) is None
    assert user_for_api_token(raw_token=inactive) is None
    assert user_for_api_token(raw_token="psg_made-up") is None


def test_an_officer_is_department_staff():
    assert create_user(Role.OFFICER).is_department_staff
