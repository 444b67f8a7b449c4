"""A new program is its YAML files and nothing else: dropped into the programs folder, it
is offered in the portal, triaged by its own rules, routed to officers and shown in the
demo, with no line of code or test written for it."""

import re
import shutil
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from passage.cases.models import Case
from passage.cases.status import EventKind
from passage.demo.load import load_demo
from passage.demo.samples import draw_sample
from passage.intake.catalogue import current_programs
from passage.intake.services import submit_application
from passage.triage.services import triage_case
from passage.workbench.services import route_open_cases
from tests.builders import create_user

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"
CODE = "travel-document"
NAME_EN = "Travel document for permanent residents"
NAME_FR = "Titre de voyage pour résidents permanents"

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs(tmp_path, settings):
    """Today's programs, and a new one written as YAML only (four files)."""
    folder = tmp_path / "programs"
    shutil.copytree(PROGRAMS, folder)
    new = folder / CODE
    new.mkdir()
    for name in ("program.yaml", "rules.yaml", "questions.yaml", "scenarios.yaml"):
        text = (PROGRAMS / "pr-card" / name).read_text(encoding="utf-8")
        text = re.sub(r"^(program|code): pr-card$", rf"\1: {CODE}", text, flags=re.M)
        text = text.replace("Permanent resident card renewal", NAME_EN)
        text = text.replace("Renouvellement de la carte de résident permanent", NAME_FR)
        text = re.sub(r"^  share: \d+$", "  share: 100", text, flags=re.M)
        (new / name).write_text(text, encoding="utf-8")
    settings.PASSAGE_PROGRAMS_DIR = folder
    settings.PASSAGE_BLIND_REVIEW_SHARE = 0
    return folder


def test_a_program_added_as_yaml_files_is_offered_triaged_routed_and_in_the_demo(programs):
    assert CODE in current_programs()

    # Shown in the demo: its files are drawn from its own worked examples and triaged.
    load_demo(size=40)
    demo_files = Case.objects.filter(program__code=CODE)
    assert demo_files.exists()
    assessed = [
        event.payload["ruleset"]
        for case in demo_files
        for event in case.events.filter(kind=EventKind.TRIAGE_ASSESSED)
    ]
    assert assessed
    assert all(version.startswith(f"{CODE}@") for version in assessed)

    # Offered in the portal, in both languages.
    person = create_user(username="newcomer", password="correct horse battery staple")
    browser = Client()
    browser.force_login(person)
    for language, name in (("en", NAME_EN), ("fr", NAME_FR)):
        with translation.override(language):
            page = browser.get(reverse("intake:programs"))
        assert page.status_code == 200
        assert name in page.content.decode()
    started = browser.post(reverse("intake:start", kwargs={"program": CODE}))
    assert started.status_code == 302

    # Triaged by its own rules and routed to an officer skilled in it.
    bundle = current_programs()[CODE]
    sample = draw_sample(bundle, "newcomer-1", day=timezone.now().date())
    case = submit_application(
        submitter=person,
        idempotency_key=uuid.uuid4().hex,
        program_code=CODE,
        category="",
        given_name="Noor",
        family_name="Haddad",
        date_of_birth=sample.date_of_birth or timezone.now().date().replace(year=1985),
        citizenship=sample.citizenship or "JO",
        email="noor@example.com",
        preferred_language="en",
        answers=sample.answers,
        documents=[],
    ).case
    case = triage_case(case_id=case.public_id)
    assert (
        case.events.filter(kind=EventKind.TRIAGE_ASSESSED)
        .get()
        .payload["ruleset"]
        .startswith(f"{CODE}@")
    )

    route_open_cases()

    case.refresh_from_db()
    assert case.assigned_to is not None
    assert case.assigned_to.skills.filter(kind="program", value=CODE).exists()
