"""The analyst's home reads in the page's language: each criterion's citation and each
program's categories by their names."""

import html

import pytest
from django.urls import reverse
from django.utils.translation import override

from passage.accounts.roles import Role
from tests.accounts.builders import signed_in_with_mfa
from tests.builders import create_user

pytestmark = pytest.mark.django_db


def analyst_home(language: str) -> str:
    with override(language):
        address = reverse("web:analyst")
    page = signed_in_with_mfa(create_user(Role.ANALYST)).get(address)
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def test_a_french_analyst_reads_citations_and_categories_in_french():
    page = analyst_home("fr")

    assert "Instructions d\u2019exécution de programme d\u2019EIC" in page
    assert "Loi sur la citoyenneté, al. 5(1)b)" in page
    assert "Permis vacances-travail, Jeunes professionnels, Stage coop international" in page
    assert "IEC program delivery instructions" not in page
    assert "Citizenship Act" not in page


def test_an_english_analyst_reads_them_in_english():
    page = analyst_home("en")

    assert "IEC program delivery instructions: Eligibility requirements" in page
    assert "Working Holiday, Young Professionals, International Co-op (Internship)" in page
