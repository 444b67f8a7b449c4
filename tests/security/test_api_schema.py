"""Schemathesis over the API's OpenAPI document: every operation, called by an applicant, a
sponsor and an officer with their bearer tokens, on their own case, on a case they may not
see and on ids that are no case at all, with bodies, queries and headers valid and not.
No answer is a server error; every answer's status, headers and body are those the document
declares; every JSON error answer says what is wrong in `detail`.

The document is served only to verified staff, so it is read in-process; the requests go
through Django's whole WSGI stack (middleware included), inside the test's transaction."""

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from passage.accounts.models import User
from passage.api.urls import api
from passage.cases import services as cases
from passage.cases.models import Case, DeclaredConflict
from passage.cases.status import PartyRole
from passage.intake.catalogue import load_programs
from tests.accounts.builders import api_token
from tests.builders import MINIMAL_PDF, iec_answers, submit_case
from tests.tracker.builders import ask_for_documents, officer_in, worked_case

pytestmark = pytest.mark.django_db

# The document as a client gets it, plain JSON: django-ninja's dict has integer statuses.
DOCUMENT = orjson.loads(orjson.dumps(api.get_openapi_schema(), option=orjson.OPT_NON_STR_KEYS))
# Every check schemathesis has, as it has them, but one: a write that the document accepts
# may still be a 422 (docs/api.md). An application's program, category, answers, country
# and documents' bytes are checked against the programs' own data, and no body may hold
# text with a NUL character or nest deeper than 32 levels: none of which the schema of a
# free JSON value can say. It is never a 400, which only a missing key or a body that is not
# JSON gets.
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-method": "POST",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [
                            "2xx",
                            "3xx",
                            "401",
                            "403",
                            "404",
                            "409",
                            "422",
                            "429",
                            "5xx",
                        ]
                    }
                },
            }
        ]
    }
)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
SCHEMA.app = WSGIHandler()

# Stand-ins a generated request may carry for a case id, replaced by the caller's own case
# or a case they may not see just before it is sent (the document cannot know them).
OWN_CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "passage:test:own-case"))
OTHERS_CASE = str(uuid.uuid5(uuid.NAMESPACE_URL, "passage:test:others-case"))
IDEMPOTENCY_KEY = "Idempotency-Key"
# Two keys drawn again and again, so that some submissions replay an earlier one (the same
# key and body) and some reuse a key for another body.
REUSED_KEYS = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"passage:test:key-{n}")) for n in range(2)]
SUBMIT = "POST /api/v1/applications"

# Applications the service accepts (schemathesis alone never finds one: the programs, their
# categories and answers are data the document cannot carry).
PASSPORT = {
    "kind": "passport",
    "filename": "passport.pdf",
    "content_base64": base64.b64encode(MINIMAL_PDF).decode(),
}
APPLICATION = {
    "program": "iec",
    "category": "working-holiday",
    "given_name": "Ana",
    "family_name": "Silva",
    "date_of_birth": "1998-02-28",
    "citizenship": "PT",
    "email": "ana@example.com",
    "preferred_language": "en",
    "answers": iec_answers(),
    "documents": [PASSPORT],
}
names = st.text(st.characters(categories=["L"]), min_size=1, max_size=40)
accepted_applications = st.just(APPLICATION) | st.fixed_dictionaries(
    {
        "program": st.just("iec"),
        "category": st.sampled_from(["working-holiday", "young-professionals"]),
        "given_name": names,
        "family_name": names,
        "date_of_birth": st.dates(date(1990, 1, 1), date(2005, 12, 31)).map(str),
        "citizenship": st.sampled_from(["FR", "pt", "GB", "IE"]),
        "email": st.sampled_from(["ana@example.com", "j.o@example.fr"]),
        "preferred_language": st.sampled_from(["en", "fr"]),
        "answers": st.just(iec_answers()),
        "documents": st.sampled_from([[], [PASSPORT]]),
    }
)


@dataclass(frozen=True)
class Caller:
    """A person calling the API: their token, a case they see and one they may not."""

    token: str
    own_case: Case
    others_case: Case

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def resolve(self, case_id: str) -> str:
        """The case id to send for a generated one: the case a stand-in names, or itself."""
        stand_ins = {OWN_CASE: self.own_case, OTHERS_CASE: self.others_case}
        case = stand_ins.get(case_id)
        return str(case.public_id) if case is not None else case_id


@SCHEMA.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    """Aim some valid requests at a known case, give some a UUID as Idempotency-Key (some
    of them already used) and some submissions an application the service accepts; the
    others keep what schemathesis generated."""
    return st.builds(
        aimed,
        st.just(case),
        case_id=st.sampled_from([None, OWN_CASE, OTHERS_CASE]),
        key=st.none() | st.uuids().map(str) | st.sampled_from(REUSED_KEYS),
        application=st.none() | accepted_applications,
    )


def aimed(
    case: schemathesis.Case,
    *,
    case_id: str | None,
    key: str | None,
    application: dict[str, Any] | None,
) -> schemathesis.Case:
    """The case with its case id, Idempotency-Key and application replaced where given and
    where schemathesis generated them valid, so that an invalid request stays one."""
    if case_id is not None and "case_id" in case.path_parameters and is_valid(case, "path"):
        case.path_parameters = {**case.path_parameters, "case_id": case_id}
    if key is not None and IDEMPOTENCY_KEY in case.headers and is_valid(case, "header"):
        case.headers[IDEMPOTENCY_KEY] = key
    if application is not None and case.operation.label == SUBMIT and is_valid(case, "body"):
        case.body = application
    return case


def is_valid(case: schemathesis.Case, location: str) -> bool:
    """Whether schemathesis generated this part of the request valid."""
    meta = case.meta
    if meta is None:
        return False
    component = meta.components.get(ParameterLocation(location))
    return component is not None and component.mode == GenerationMode.POSITIVE


@pytest.fixture
def _in_test_transaction() -> Iterator[None]:
    """Django's WSGI handler closes the connection at each request's start and end, which
    would end the test's transaction; Django's test client leaves that out the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def _rates_out_of_reach(settings: Any) -> None:
    """Rate limits high enough that every generated request reaches the API's code (a 429
    would still conform: the document declares it)."""
    for name in dir(django_settings):
        if not name.startswith("PASSAGE_RATE_"):
            continue
        value = getattr(django_settings, name)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(settings, name, 1_000_000)


@dataclass(frozen=True)
class World:
    """An IEC file in review with documents asked for, assigned to an officer, and a family
    sponsorship with its sponsor, on which that officer declared a conflict."""

    applicant: User
    sponsor: User
    officer: User
    iec: Case
    sponsorship: Case


def build_world() -> World:
    """The cases and people the callers are made of."""
    load_programs()
    officer = officer_in()
    iec = worked_case(officer)
    ask_for_documents(iec, officer)
    # A sponsorship is submitted by its sponsor, who is its sponsor party.
    sponsorship = submit_case(program_code="family-sponsor", category="spouse")
    sponsor = sponsorship.application.applicant
    assert sponsorship.parties.get(person=sponsor).role == PartyRole.SPONSOR
    cases.declare_conflict(
        case_id=sponsorship.public_id,
        actor=officer,
        kind=DeclaredConflict.Kind.PERSONAL,
        note="A friend.",
        idempotency_key=uuid.uuid4().hex,
    )
    return World(iec.application.applicant, sponsor, officer, iec, sponsorship)


@pytest.fixture(params=["applicant", "sponsor", "officer"])
def caller(
    request: pytest.FixtureRequest, _in_test_transaction: None, _rates_out_of_reach: None
) -> Caller:
    """An applicant, a sponsor or an officer, each with a bearer token."""
    world = build_world()
    if request.param == "applicant":
        return Caller(api_token(world.applicant, "phone"), world.iec, world.sponsorship)
    if request.param == "sponsor":
        return Caller(api_token(world.sponsor, "phone"), world.sponsorship, world.iec)
    return Caller(api_token(world.officer, "desk"), world.iec, world.sponsorship)


@SCHEMA.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_answer_is_declared_by_the_document_and_none_is_a_server_error(
    case: schemathesis.Case, caller: Caller
) -> None:
    if "case_id" in case.path_parameters:
        case.path_parameters["case_id"] = caller.resolve(str(case.path_parameters["case_id"]))

    response = case.call_and_validate(headers=caller.headers)

    assert response.status_code < 500
    content_type = response.headers.get("content-type", [""])[0]
    if response.status_code >= 400 and content_type.startswith("application/json"):
        detail = response.json()["detail"]
        assert isinstance(detail, str)
        assert detail
