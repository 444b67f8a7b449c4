"""The pages where staff find files: the search page, the queue's sort and filter form,
and the "Reassign files" page a page at a time, in English and in French."""

from datetime import timedelta

import pytest

from passage import clock
from passage.workbench.presenters import supervision
from tests.builders import iec_answers
from tests.tracker.builders import client_of, text_of
from tests.workbench.builders import (
    claimed_case,
    create_skilled_officer,
    create_supervisor,
    ready_case,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_blind_review_unless_asked(settings):
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0


# --- The search page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "heading", "applicant"),
    [
        ("/en/workbench/search/", "Search files", "Applicant"),
        ("/fr/espace-de-travail/recherche/", "Rechercher des dossiers", "Demandeur"),
    ],
)
def test_an_officer_finds_a_file_by_its_last_digits_and_reads_its_row(address, heading, applicant):
    officer = create_skilled_officer(first_name="Léa", last_name="Tremblay")
    case = claimed_case(officer, received=clock.now() - DAY)

    response = client_of(officer).get(address, {"q": case.reference[-6:]})

    page = text_of(response.content)
    assert response.status_code == 200
    assert heading in page
    assert f"{applicant} " in page
    assert case.reference in page
    assert "Amélie Poulain" in page
    assert "Léa Tremblay" in page
    assert str(case.public_id) in response.content.decode()  # the row links to the file


@pytest.mark.parametrize(
    ("address", "nothing"),
    [
        ("/en/workbench/search/", "No file matches “Dupont”."),
        ("/fr/espace-de-travail/recherche/", "Aucun dossier ne correspond à «\u00a0Dupont\u00a0»."),
    ],
)
def test_a_search_that_finds_nothing_says_so(address, nothing):
    officer = create_skilled_officer()
    claimed_case(officer, received=clock.now() - DAY)

    response = client_of(officer).get(address, {"q": "Dupont"})

    assert nothing in response.content.decode()


def test_the_search_page_never_shows_a_file_out_of_reach():
    elsewhere = claimed_case(create_skilled_officer(office="montreal"), received=clock.now())
    officer = create_skilled_officer()
    client = client_of(officer)

    for text in (elsewhere.reference[-6:], "Poulain", "28/02/1998"):
        page = client.get("/en/workbench/search/", {"q": text}).content.decode()
        assert elsewhere.reference not in page
        assert str(elsewhere.public_id) not in page
        assert "No file matches" in page
    # The whole reference typed is echoed in the box, but no row shows the file.
    whole = client.get("/en/workbench/search/", {"q": elsewhere.reference}).content.decode()
    assert str(elsewhere.public_id) not in whole
    assert "No file matches" in whole


def test_a_supervisor_searches_the_files_of_their_office_by_date_of_birth():
    case = ready_case(answers=iec_answers())
    client = client_of(create_supervisor())

    page = text_of(client.get("/en/workbench/search/", {"q": "28 2 1998"}).content)

    assert case.reference in page
    assert "1 file matches." in page


def test_the_queue_page_has_the_search_box_and_a_search_too_short_says_what_to_type():
    officer = create_skilled_officer()
    client = client_of(officer)

    queue = client.get("/en/workbench/").content.decode()
    short = text_of(client.get("/en/workbench/search/", {"q": "12"}).content)

    assert 'action="/en/workbench/search/"' in queue
    assert "2004-09-22, 22/09/2004 or 22 9 2004 (day, month, year)" in text_of(queue.encode())
    assert "Type at least the last 4 digits of a reference" in short


def test_a_client_cannot_open_the_search_page():
    case = ready_case(answers=iec_answers())

    response = client_of(case.application.applicant).get(
        "/en/workbench/search/", {"q": case.reference}
    )

    assert response.status_code == 403
    assert str(case.public_id) not in response.content.decode()


# --- The queue's sort and filter form -------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "caption", "selected"),
    [
        ("/en/workbench/", "Your open files, newest first", "Newest first"),
        (
            "/fr/espace-de-travail/",
            "Vos dossiers ouverts, du plus récent au plus ancien",
            "Du plus récent au plus ancien",
        ),
    ],
)
def test_the_queue_is_sorted_as_chosen_and_keeps_the_choice(address, caption, selected):
    officer = create_skilled_officer()
    old = claimed_case(officer, received=clock.now() - 9 * DAY)
    new = claimed_case(officer, received=clock.now() - DAY)

    response = client_of(officer).get(address, {"sort": "newest", "tier": "1"})

    html = response.content.decode()
    assert caption in text_of(response.content)
    assert f'<option value="newest" selected>{selected}</option>' in html
    assert '<option value="1" selected>' in html
    assert html.index(new.reference) < html.index(old.reference)


def test_the_queue_filters_by_tier_and_ignores_what_it_does_not_know():
    officer = create_skilled_officer()
    routine = claimed_case(officer, received=clock.now() - 2 * DAY)
    assess = claimed_case(officer, received=clock.now() - DAY, funds_cad=1200)
    client = client_of(officer)

    tier_three = client.get("/en/workbench/", {"tier": "3"}).content.decode()
    nonsense = client.get("/en/workbench/", {"tier": "9", "sort": "x", "status": "y"})

    assert assess.reference in tier_three
    assert routine.reference not in tier_three
    assert "Showing 1 of your 2 open files." in text_of(tier_three.encode())
    assert nonsense.status_code == 200
    page = nonsense.content.decode()
    assert routine.reference in page
    assert assess.reference in page
    assert "Your open files, oldest first" in page


def test_a_filter_that_keeps_no_file_says_so():
    officer = create_skilled_officer()
    claimed_case(officer, received=clock.now())

    page = client_of(officer).get("/en/workbench/", {"inquiries": "1"}).content

    assert "None of your open files matches these filters." in text_of(page)


# --- "Reassign files", a page at a time -----------------------------------------------------


@pytest.mark.parametrize(
    ("address", "label", "range_text"),
    [
        ("/en/workbench/supervision/files/", "Pages of open files", "3 to 3 of 3 files"),
        (
            "/fr/espace-de-travail/supervision/dossiers/",
            "Pages des dossiers ouverts",
            "3 à 3 de 3 dossiers",
        ),
    ],
)
def test_a_supervisor_pages_through_the_files_and_the_links_keep_the_filters(
    monkeypatch, address, label, range_text
):
    monkeypatch.setattr(supervision, "FILES_PER_PAGE", 2)
    files = [ready_case(answers=iec_answers(), now=clock.now() - (9 - n) * DAY) for n in range(3)]
    client = client_of(create_supervisor())

    response = client.get(address, {"officer": "none", "program": "iec", "page": "2"})

    html = response.content.decode()
    assert f'<nav class="gcds-pagination" aria-label="{label}">' in html
    assert 'href="?officer=none&amp;program=iec&amp;page=1" aria-current="page"' not in html
    assert 'href="?officer=none&amp;program=iec&amp;page=2" aria-current="page"' in html
    assert (
        'href="?officer=none&amp;program=iec&amp;page=1" class="gcds-pagination-end-button"' in html
    )
    assert range_text in text_of(response.content)
    assert files[2].reference in html
    assert files[0].reference not in html


def test_a_page_past_the_last_answers_the_last_page(monkeypatch):
    monkeypatch.setattr(supervision, "FILES_PER_PAGE", 2)
    files = [ready_case(answers=iec_answers(), now=clock.now() - (9 - n) * DAY) for n in range(3)]
    client = client_of(create_supervisor())

    response = client.get("/en/workbench/supervision/files/", {"page": "40"})

    assert response.status_code == 200
    assert "3 to 3 of 3 files" in text_of(response.content)
    assert files[-1].reference in response.content.decode()
    assert 'href="?page=2" aria-current="page"' in response.content.decode()
