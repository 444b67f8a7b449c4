"""The session, person and roles read on every signed-in request give exactly what
Django's ORM gives, on PostgreSQL and on SQLite."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passage.accounts.models import User
from passage.accounts.request_reads import person_by_id, session_data_of
from passage.accounts.roles import Role
from tests.builders import create_officer, create_user

pytestmark = pytest.mark.django_db


def test_a_person_is_read_with_every_field_as_the_orm_reads_it() -> None:
    officer = create_officer(first_name="Zoë", preferred_language="fr")
    User.objects.filter(pk=officer.pk).update(
        last_login=timezone.now(), email_verified_at=timezone.now() - timedelta(days=3)
    )
    expected = User.objects.get(pk=officer.pk)

    person = person_by_id(officer.pk)

    assert isinstance(person, User)
    assert not person._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(person, field.attname) == getattr(expected, field.attname), field.name
    assert person.office == expected.office


def test_a_missing_or_malformed_person_id_is_nobody() -> None:
    assert person_by_id(987654321) is None
    assert person_by_id("not a number") is None


def test_a_person_comes_with_their_roles_in_one_statement() -> None:
    person = create_user(Role.REPRESENTATIVE, Role.SPONSOR)
    with CaptureQueriesContext(connection) as queries:
        found = person_by_id(person.pk)
        roles = found.role_names()
        assert found.has_role(Role.SPONSOR)
    assert roles == {"representative", "sponsor"}
    assert len(queries) == 1
    assert person_by_id(create_user().pk).role_names() == {"applicant"}


def test_a_person_without_a_role_has_none() -> None:
    person = create_user()
    person.groups.clear()
    assert person_by_id(person.pk).role_names() == frozenset()


def test_an_expired_session_has_no_data_and_a_live_one_has_its_stored_data() -> None:
    now = timezone.now()
    Session.objects.create(
        session_key="a" * 32, session_data="live", expire_date=now + timedelta(seconds=1)
    )
    Session.objects.create(session_key="b" * 32, session_data="old", expire_date=now)

    assert session_data_of("a" * 32, now) == "live"
    assert session_data_of("b" * 32, now) is None
    assert session_data_of("c" * 32, now) is None
