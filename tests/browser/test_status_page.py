"""The public status page in Chromium, in English and in French, axe-core clean: as
Passage serves it, and as the web server serves it when Passage is stopped, nginx running
deploy/nginx.conf in front of it: the static copy of the status page, and the "service
unavailable" page in both languages for every other page, saying what to do instead."""

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect

from passage import clock
from passage.continuity.models import Outage
from tests.browser.conftest import AxeCheck
from tests.continuity.support.front import application, nginx, nginx_binary
from tests.continuity.support.outages import incident, maintenance, supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING = {"en": "Service status", "fr": "État des services"}
DOWN = {"en": "Some services are not working.", "fr": "Certains services ne fonctionnent pas."}
UNAVAILABLE = {"en": "The service is unavailable", "fr": "Le service est indisponible"}
INSTEAD = {
    "en": "Due dates that fall during an outage move by themselves",
    "fr": "Les dates limites qui tombent pendant une panne",
}
COPY_NOTICE = {"en": "This copy of the status page", "fr": "Cette copie de la page d\u2019état"}
TITLE = {"en": "Uploads fail", "fr": "Uploads fail (fr)"}


@pytest.fixture
def register(settings, tmp_path: Path) -> Outage:
    """An incident under way and maintenance announced; the copy is written as they are
    recorded (the test's transactions commit)."""
    settings.PASSAGE_STATUS_DIR = tmp_path / "status"
    now = clock.now()
    actor = supervisor()
    maintenance(actor, ["payments"], now + timedelta(days=1), now + timedelta(days=1, hours=2), now)
    return incident(
        actor,
        ["uploads"],
        now - timedelta(hours=1),
        now,
        texts={"text": "Files cannot be sent.", "advice": "Send them by mail."},
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_status_page_shows_each_service_and_the_outage_with_what_to_do(
    page: Page, axe: AxeCheck, register: Outage, language: str
) -> None:
    response = page.goto(f"/{language}/status/")

    assert response is not None
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[language])
    expect(page.locator("main")).to_contain_text(DOWN[language])
    expect(page.locator('tr[data-component="uploads"]')).to_have_attribute("data-state", "down")
    expect(page.locator(f"#{register.reference}")).to_contain_text(TITLE[language])
    expect(page.locator("main")).to_contain_text(INSTEAD[language])
    axe(page)


@pytest.fixture
def front(tmp_path: Path, register: Outage) -> Iterator[tuple[str, object]]:
    """Passage of the test's own, and nginx in front of it with deploy/nginx.conf."""
    if nginx_binary() is None:
        pytest.fail("nginx is missing: scripts/ensure-nginx installs Debian's package")
    with (
        application() as app,
        nginx(app.port, django_settings.PASSAGE_STATUS_DIR, tmp_path / "nginx") as url,
    ):
        yield url, app


@pytest.fixture
def through_nginx(browser: Browser, front: tuple[str, object]) -> Iterator[Page]:
    url, _ = front
    context = browser.new_context(base_url=url)
    context.set_default_timeout(10_000)
    # Only nginx answers: the pages must not depend on any other host.
    context.route(lambda address: not address.startswith(url), lambda route: route.abort())
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_with_passage_stopped_the_web_server_serves_the_copy_and_the_unavailable_page(
    through_nginx: Page, front: tuple[str, object], axe: AxeCheck, language: str
) -> None:
    page = through_nginx
    _, app = front
    live = page.goto(f"/{language}/status/")
    assert live is not None
    assert live.status == 200
    expect(page.locator("gcds-header")).to_have_count(1)  # Passage's own page, through nginx

    app.stop()  # type: ignore[attr-defined]

    anywhere = page.goto(f"/{language}/apply/" if language == "en" else "/fr/demande/")
    assert anywhere is not None
    assert anywhere.status == 503
    assert anywhere.headers["retry-after"] == "30"
    expect(page.get_by_role("heading", level=1)).to_have_text(UNAVAILABLE["en"])
    for words in (*UNAVAILABLE.values(), *INSTEAD.values()):
        expect(page.locator("main")).to_contain_text(words)
    axe(page, design_system=False)

    page.get_by_role(
        "link", name={"en": "See which services", "fr": "Voir quels services"}[language]
    ).click()
    expect(page).to_have_url(f"{front[0]}/{language}/status/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[language])
    expect(page.locator("main")).to_contain_text(COPY_NOTICE[language])
    expect(page.locator("main")).to_contain_text(DOWN[language])
    expect(page.locator("main")).to_contain_text(INSTEAD[language])
    expect(page.locator("gcds-header")).to_have_count(0)  # the copy, not Passage
    axe(page, design_system=False)

    summary = page.goto(f"/{language}/status/summary.json")
    assert summary is not None
    assert summary.status == 200
    assert summary.headers["content-type"].startswith("application/json")
    assert json.loads(summary.body())["status"]["indicator"] == "major"
    bare = page.goto(f"/{language}/status")
    assert bare is not None
    assert bare.status == 200
