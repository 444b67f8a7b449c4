"""One private PostgreSQL cluster for the whole run, with a migrated template database
(programs loaded, applicants with API tokens); each drill gets a copy of the template
and a Passage of its own around it."""

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.drills.cluster import Cluster
from tests.drills.site import Applicant, Site

TEMPLATE = "passage_drill_template"
APPLICANTS = 6


@dataclass(frozen=True)
class Template:
    site: Site
    applicants: list[Applicant]


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with Cluster.running() as running:
        yield running


@pytest.fixture(scope="session")
def template(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Template:
    cluster.execute(f"CREATE DATABASE {TEMPLATE}")
    site = Site(
        cluster=cluster,
        database=TEMPLATE,
        var=tmp_path_factory.mktemp("template"),
        # The API tokens and the audit chain are keyed with these: every copy keeps them.
        secret_key=secrets.token_urlsafe(50),
        audit_keys=f"drill:{secrets.token_hex(32)}",
    )
    # A schema change may take longer than the drills' short deadlines.
    site.passage(
        "migrate",
        "--verbosity",
        "0",
        PASSAGE_DB_STATEMENT_TIMEOUT="600",
        PASSAGE_DB_CALL_TIMEOUT="610",
    )
    site.passage("load_programs", "--verbosity", "0")
    applicants = [Applicant(**each) for each in site.seed("applicants", str(APPLICANTS))]
    return Template(site=site, applicants=applicants)


@pytest.fixture
def site(cluster: Cluster, template: Template, tmp_path: Path) -> Site:
    # A drill that failed half-way may have left the cluster frozen or stopped.
    cluster.thaw()
    if not cluster.is_running():
        cluster.start()
    database = f"drill_{uuid.uuid4().hex[:12]}"
    cluster.execute(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    return template.site.copy(database, tmp_path / "var")
