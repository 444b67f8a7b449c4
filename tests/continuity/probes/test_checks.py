"""Each probe against a running site: it passes while its component works as a client
needs, and fails, saying why, when it does not."""

import pytest

from passage.continuity.probes.checks import CHECKS, NOT_MONITORED, run_checks
from passage.continuity.probes.decision import Result
from tests.continuity.probes.support import T0, fixed_clock
from tests.outbox.smtp import free_port
from tests.support.outage import database_down

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    """The probes pointed at a running copy of the site."""
    settings.PASSAGE_PROBE_BASE_URL = live_server.url
    settings.PASSAGE_PROBE_TIMEOUT = 5
    return live_server


def probe(component: str) -> Result:
    (result,) = run_checks({component: CHECKS[component]}, clock=fixed_clock(T0))
    return result


@pytest.mark.parametrize(
    "component", ["sign-in", "intake", "uploads", "tracker", "messages", "api"]
)
def test_each_component_of_a_working_site_passes_its_probe(site, component):
    result = probe(component)

    assert (result.ok, result.detail) == (True, "")
    assert result.at == T0


def test_email_passes_while_the_mail_server_answers(smtp_server):
    assert probe("email").ok


def test_email_fails_when_the_mail_server_port_is_closed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()

    result = probe("email")

    assert not result.ok
    assert "refused" in result.detail.lower()


def test_uploads_fail_when_the_document_storage_cannot_take_a_file(settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the storage folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "passage.intake.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder / "documents")},
        },
    }

    result = probe("uploads")

    assert not result.ok
    assert "StorageUnavailable" in result.detail


@pytest.mark.parametrize("component", ["sign-in", "intake", "tracker", "messages", "api"])
def test_each_component_that_needs_the_database_fails_while_it_is_down(site, component):
    with database_down():
        result = probe(component)

    assert not result.ok
    assert result.detail


def test_the_http_probes_fail_when_the_site_does_not_answer(settings, db):
    settings.PASSAGE_PROBE_BASE_URL = f"http://127.0.0.1:{free_port()}"

    for component in ("sign-in", "intake", "tracker", "messages", "api"):
        result = probe(component)
        assert not result.ok, component
        assert "no answer" in result.detail


def test_payments_and_employer_filings_are_not_monitored():
    assert {"payments", "employer-filings"} == NOT_MONITORED
    assert not NOT_MONITORED & set(CHECKS)
