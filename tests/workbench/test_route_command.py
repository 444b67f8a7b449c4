"""`passage route` from the command line."""

import io

import pytest
from django.core.management import call_command

from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = pytest.mark.django_db


def test_route_assigns_open_files_and_says_how_many(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    ready_case()
    ready_case()
    create_skilled_officer(capacity=1)
    out = io.StringIO()

    call_command("route", stdout=out)

    assert "2 open files, 1 assigned, 1 left in the shared queue" in out.getvalue()
