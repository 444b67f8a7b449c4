"""The static copy of the status page: written on every change to the register, once the
change is committed, self-contained (nothing loaded from elsewhere), in both languages
with its JSON and Atom forms and the "service unavailable" page, each file replaced
whole."""

import json
import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from passage import clock
from passage.continuity import services, status_copy
from tests.continuity.support.outages import incident, supervisor

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
FILES = [
    "en/status/index.html",
    "en/status/summary.json",
    "en/status/feed.atom",
    "fr/status/index.html",
    "fr/status/summary.json",
    "fr/status/feed.atom",
    "unavailable.html",
]


@pytest.fixture(autouse=True)
def _now(monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def folder(settings, tmp_path: Path) -> Path:
    settings.PASSAGE_STATUS_DIR = tmp_path / "status"
    return settings.PASSAGE_STATUS_DIR


def test_recording_an_incident_writes_the_copy_once_committed(
    folder: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outage = incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), NOW)

    for name in FILES:
        assert (folder / name).is_file(), name
    assert outage.reference in (folder / "en/status/index.html").read_text()
    assert "Uploads fail (fr)" in (folder / "fr/status/index.html").read_text()
    summary = json.loads((folder / "en/status/summary.json").read_text())
    assert [i["id"] for i in summary["incidents"]] == [outage.reference]
    ET.fromstring((folder / "fr/status/feed.atom").read_bytes())  # noqa: S314 - our own feed


def test_every_change_writes_the_copy_again(folder: Path, django_capture_on_commit_callbacks):
    actor = supervisor()
    with django_capture_on_commit_callbacks(execute=True):
        outage = incident(actor, ["uploads"], NOW - timedelta(hours=1), NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_outage(
            actor=actor,
            reference=outage.reference,
            reason="Recorded in error.",
            idempotency_key="0b6a3f5e-7d52-4e8e-9a8a-3f1d2c4b5a60",
            now=NOW,
        )

    summary = json.loads((folder / "en/status/summary.json").read_text())
    assert summary["incidents"] == []
    assert "Withdrawn on" in (folder / "en/status/index.html").read_text()


def test_a_change_rolled_back_writes_nothing(folder: Path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), NOW)

    assert callbacks  # waiting for a commit that never comes
    assert not folder.exists()


def test_the_pages_load_nothing_from_elsewhere(folder: Path) -> None:
    status_copy.write_status_copy(NOW)

    for name in ("en/status/index.html", "fr/status/index.html", "unavailable.html"):
        html = (folder / name).read_text()
        assert "<style>" in html
        assert 'rel="stylesheet"' not in html
        assert "<script" not in html
        assert "/static/" not in html
        assert "<img" not in html


def test_the_unavailable_page_says_what_to_do_instead_in_both_languages(folder: Path) -> None:
    status_copy.write_status_copy(NOW)

    html = (folder / "unavailable.html").read_text()
    assert '<section lang="en"' in html
    assert '<section lang="fr"' in html
    assert "Due dates that fall during an outage move by themselves" in html
    assert "file on paper" in html
    assert 'href="/en/status/"' in html
    assert 'href="/fr/status/"' in html


def test_each_file_is_replaced_whole_and_nothing_is_left_beside_it(folder: Path) -> None:
    status_copy.write_status_copy(NOW)
    first = (folder / "en/status/index.html").stat().st_ino

    status_copy.write_status_copy(NOW + timedelta(minutes=1))

    # A new file renamed over the old one: a reader holding the old one keeps it whole.
    assert (folder / "en/status/index.html").stat().st_ino != first
    leftovers = [p.name for p in folder.rglob(".*") if p.name != ".lock"]
    assert leftovers == []
    assert oct((folder / "unavailable.html").stat().st_mode & 0o777) == "0o644"


def test_a_write_that_fails_midway_leaves_the_old_file(folder: Path, monkeypatch) -> None:
    status_copy.write_status_copy(NOW)
    before = (folder / "en/status/index.html").read_text()

    def failing_fsync(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        status_copy.write_atomically(folder / "en/status/index.html", "half a page")

    assert (folder / "en/status/index.html").read_text() == before
    assert [p.name for p in folder.rglob(".index.html.*")] == []


def test_a_copy_that_cannot_be_written_does_not_undo_the_change(
    settings, tmp_path: Path, django_capture_on_commit_callbacks, caplog
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    settings.PASSAGE_STATUS_DIR = blocker / "status"  # a folder cannot be made inside a file

    with django_capture_on_commit_callbacks(execute=True):
        outage = incident(supervisor(), ["uploads"], NOW - timedelta(hours=1), NOW)

    assert outage.pk is not None
    assert "static copy was not written" in caplog.text


def test_the_command_writes_the_copy(folder: Path) -> None:
    call_command("write_status_copy", verbosity=0)

    for name in FILES:
        assert (folder / name).is_file(), name


def test_while_the_database_is_down_the_copy_shows_what_the_probes_see(folder: Path) -> None:
    from passage.continuity.probes.watcher import ComponentState

    status_copy.write_status_copy()
    since = NOW - timedelta(minutes=7)

    status_copy.write_live_states(
        {
            "sign-in": ComponentState("sign-in", ok=False, since=since),
            "email": ComponentState("email", ok=True, since=None),
        }
    )

    english = (folder / "en/status/index.html").read_text(encoding="utf-8")
    french = (folder / "fr/status/index.html").read_text(encoding="utf-8")
    assert "What our monitoring sees now" in english
    assert "<li>Sign-in (since" in english
    assert "<li>Email" not in english
    assert "Connexion" in french
    status_copy.write_status_copy()
    assert "What our monitoring sees now" not in (folder / "en/status/index.html").read_text()
