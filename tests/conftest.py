from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.utils import translation

from tests.outbox.smtp import HOST, SmtpServer


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path: object) -> None:
    """Documents written by a test go to its own folder."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "passage.intake.storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},  # type: ignore[operator]
        },
    }


@pytest.fixture(autouse=True)
def _status_copy_in_tmp(settings: object, tmp_path: object) -> None:
    """The status page's static copy written by a test goes to its own folder."""
    settings.PASSAGE_STATUS_DIR = tmp_path / "status"  # type: ignore[attr-defined,operator]


@pytest.fixture(autouse=True)
def _spool_in_tmp(settings: object, tmp_path: object) -> None:
    """Submissions a test spools go to its own journal."""
    settings.PASSAGE_SPOOL_DIR = tmp_path / "spool"  # type: ignore[attr-defined, operator]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Real hashing costs a third of a second per person built; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _language_reset_after_each_test() -> Iterator[None]:
    """A French request through the test client leaves French active in this thread; the
    next test starts in the default language again."""
    yield
    translation.deactivate()


POSTGRESQL = "passage.postgresql"


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise serves from STATIC_ROOT; an absent folder only earns a warning per request.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    if settings.DATABASES["default"]["ENGINE"] == POSTGRESQL:
        # Empties the database between transactional tests past the refusal of TRUNCATE.
        # Django made a connection object while loading the models: the next one is ours.
        settings.DATABASES["default"]["ENGINE"] = "tests.support.postgresql"
        del connections["default"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.DATABASES["default"]["ENGINE"] not in (POSTGRESQL, "tests.support.postgresql"):
        skip = pytest.mark.skip(reason="needs PostgreSQL")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def smtp_server(settings: object) -> Iterator[SmtpServer]:
    """A running SMTP server on loopback, and Django's SMTP backend pointed at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = HOST  # type: ignore[attr-defined]
    settings.EMAIL_PORT = server.port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    settings.EMAIL_USE_SSL = False  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 5  # type: ignore[attr-defined]
    yield server
    server.stop()
