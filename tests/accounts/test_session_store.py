"""Passage's session store reads sessions with its own statement and otherwise behaves as
Django's database sessions."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from passage.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_comes_back_with_its_data() -> None:
    store = SessionStore()
    store["answer"] = {"kept": [1, 2]}
    store.save()

    again = SessionStore(session_key=store.session_key)

    assert again["answer"] == {"kept": [1, 2]}
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty_and_saved_under_a_new_key() -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    for key in (store.session_key, "unknownkey" * 3):
        stale = SessionStore(session_key=key)
        assert "answer" not in stale
        stale["fresh"] = True
        stale.save()
        assert stale.session_key != key
        assert SessionStore(session_key=stale.session_key)["fresh"] is True


def test_a_session_whose_data_was_tampered_with_is_empty() -> None:
    store = SessionStore()
    store["role"] = "applicant"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(session_data="forged")

    assert SessionStore(session_key=store.session_key).load() == {}
