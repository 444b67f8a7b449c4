"""A representative's "My applications" and "Your clients": whose case is whose, who
prepared it, and filters and a search that never reach past what they may see."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passage.accounts.roles import Role
from passage.cases.actors import SYSTEM
from passage.cases.models import Case
from passage.cases.services import begin_triage
from passage.intake import representation
from passage.intake.catalogue import load_programs
from passage.intake.models import Representation
from passage.intake.presenters import APPLICATIONS_PER_PAGE
from tests.builders import create_user, submit_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs():
    load_programs()


@pytest.fixture
def representative():
    return create_user(
        Role.REPRESENTATIVE,
        username="counsel",
        email="counsel@example.com",
        first_name="Jean",
        last_name="Tremblay",
    )


@pytest.fixture
def amara():
    return create_user(Role.APPLICANT, first_name="Amara", last_name="Diallo")


@pytest.fixture
def lucas():
    return create_user(Role.APPLICANT, first_name="Lucas", last_name="Moreau")


def authorise(client: object, email: str = "counsel@example.com") -> Representation:
    return representation.authorise_representative(client=client, email=email)  # type: ignore[arg-type]


def signed_in(person: object) -> Client:
    browser = Client()
    browser.force_login(person)  # type: ignore[arg-type]
    return browser


def page_of(person: object, **query: str) -> str:
    return signed_in(person).get(reverse("intake:my-applications"), query).content.decode()


def references(html: str) -> set[str]:
    return set(re.findall(r">(P\d{15})<span", html))


def row_of(html: str, reference: str) -> str:
    start = html.index(f">{reference}<span")
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def files(representative, amara, lucas):
    """Amara's own application, one the representative filed for her, one another
    representative filed for Lucas, and someone else's that nobody authorised."""
    amara_authorisation = authorise(amara)
    lucas_authorisation = authorise(lucas)
    other = create_user(Role.REPRESENTATIVE, first_name="Nadia", last_name="Roy")
    authorise(lucas, email=other.email)
    return {
        "amara": amara_authorisation,
        "lucas": lucas_authorisation,
        "own": submit_case(amara, given_name="Amara", family_name="Diallo"),
        "for_amara": submit_case(
            representative,
            applicant=amara,
            given_name="Amara",
            family_name="Diallo",
            program_code="citizenship",
        ),
        "by_other": submit_case(other, applicant=lucas, given_name="Lucas", family_name="Moreau"),
        "stranger": submit_case(
            create_user(Role.APPLICANT), given_name="Amara", family_name="Stranger"
        ),
    }


def test_each_case_names_its_client_and_who_prepared_it(representative, files):
    html = page_of(representative)

    own = row_of(html, files["own"].reference)
    assert "Amara Diallo" in own
    assert "Your client" in own
    prepared = row_of(html, files["for_amara"].reference)
    assert "Amara Diallo" in prepared
    assert "<td>You</td>" in prepared
    other = row_of(html, files["by_other"].reference)
    assert "Lucas Moreau" in other
    assert "Nadia Roy" in other
    assert files["stranger"].reference not in html


def test_a_client_sees_the_case_their_representative_prepared_for_them(amara, files):
    html = page_of(amara)

    assert "Jean Tremblay" in row_of(html, files["for_amara"].reference)
    assert "<td>You</td>" in row_of(html, files["own"].reference)


def test_the_client_filter_keeps_that_clients_cases(representative, files):
    html = page_of(representative, client=str(files["lucas"].pk))

    assert references(html) == {files["by_other"].reference}


def test_a_client_filter_for_an_authorisation_that_is_not_theirs_shows_nothing(
    representative, files
):
    someone = create_user(Role.APPLICANT)
    others = authorise(someone, email=create_user(Role.REPRESENTATIVE).email)

    assert references(page_of(representative, client=str(others.pk))) == set()


def test_the_program_filter_keeps_that_programs_cases(representative, files):
    html = page_of(representative, program="citizenship")

    assert references(html) == {files["for_amara"].reference}


def test_the_status_filter_keeps_cases_in_that_status(representative, files):
    begin_triage(case_id=files["own"].public_id, actor=SYSTEM, idempotency_key="triage")

    html = page_of(representative, status="triage")

    assert references(html) == {files["own"].reference}


def test_the_search_matches_a_reference_as_typed(representative, files):
    reference = files["by_other"].reference
    typed = f"{reference[:5].lower()} {reference[5:10]}-{reference[10:]}"

    assert references(page_of(representative, q=typed)) == {reference}


def test_the_search_matches_the_clients_name(representative, files):
    html = page_of(representative, q="  moreau  LUCAS ")

    assert references(html) == {files["by_other"].reference}


def test_the_search_never_reaches_a_case_the_representative_is_not_authorised_for(
    representative, files
):
    stranger = files["stranger"].reference

    assert references(page_of(representative, q=stranger)) == set()
    assert references(page_of(representative, q="Stranger")) == set()
    assert stranger not in page_of(representative, q="Amara")
    assert "No application matches." in page_of(representative, q=stranger)
    assert references(page_of(representative, q=" - ")) == set()


def test_a_revoked_client_leaves_the_list_and_the_search(representative, amara, files):
    representation.revoke_representation(client=amara, representation_id=files["amara"].pk)

    html = page_of(representative, q="Amara")

    assert references(html) == set()


def test_twenty_five_cases_a_page_with_links_that_keep_the_filters(representative, amara):
    authorise(amara)
    made = [
        submit_case(amara, given_name="Amara", family_name="Diallo")
        for _ in range(APPLICATIONS_PER_PAGE + 2)
    ]
    authorisation = Representation.objects.get(client=amara)

    first = page_of(representative, client=str(authorisation.pk))
    second = page_of(representative, client=str(authorisation.pk), page="2")

    assert len(references(first)) == APPLICATIONS_PER_PAGE
    assert len(references(second)) == 2
    assert references(first) | references(second) == {case.reference for case in made}
    assert 'class="gcds-pagination"' in first
    assert f"?client={authorisation.pk}&amp;page=2" in first
    assert 'aria-current="page"' in second
    assert "26 to 27 of 27 applications" in second
    # A page past the end shows the last one.
    assert references(page_of(representative, page="99")) == references(second)


def test_the_clients_page_lists_each_clients_cases(representative, files):
    html = signed_in(representative).get(reverse("intake:clients")).content.decode()

    amara_section = html[html.index("Amara Diallo") : html.index("Lucas Moreau")]
    assert files["own"].reference in amara_section
    assert files["for_amara"].reference in amara_section
    assert files["by_other"].reference in html[html.index("Lucas Moreau") :]
    assert files["stranger"].reference not in html
    case = Case.objects.get(pk=files["own"].pk)
    assert reverse("tracker:case", kwargs={"case_id": case.public_id}) in amara_section


def test_the_page_reads_as_many_times_for_many_cases_as_for_one(representative, amara):
    authorise(amara)
    browser = signed_in(representative)
    listing = reverse("intake:my-applications")
    submit_case(amara)
    browser.get(listing)
    with CaptureQueriesContext(connection) as one:
        browser.get(listing)
    for _ in range(5):
        submit_case(amara)
    with CaptureQueriesContext(connection) as many:
        browser.get(listing)

    assert len(many) == len(one)
