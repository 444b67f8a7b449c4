"""Fuzzing what people send: API bodies and query strings, and the applicant portal's
question pages. Whatever arrives (NUL bytes, lone surrogates, NaN, huge numbers, deep
nesting, 20-digit date parts, control characters, any bytes at all), the answer is a
clear 4xx in the site's error shape, never a server error."""

import json
import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passage.accounts.roles import Role
from passage.intake import drafts
from passage.intake.catalogue import load_programs
from passage.intake.flows import engine
from passage.intake.flows.registry import flow_for
from passage.programs.questions import Question
from tests.accounts.builders import api_token
from tests.builders import API_APPLICATION, create_user, submit_case
from tests.intake.flows.answers import ANSWERS, programs_with_a_flow

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text with what breaks things: NUL and other controls, lone surrogates (sent as JSON
# escapes), right-to-left marks, digits of other scripts, very long runs of digits.
awkward_text = st.one_of(
    st.text(st.characters(exclude_categories=[]), max_size=40),
    st.sampled_from(
        ["\x00", "a\x00b", "\ud800", "\udfff", "\u202e", "²", "١٢", "9" * 20, "-0", "1e999"]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    awkward_text,
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(awkward_text, children, max_size=4)
    ),
    max_leaves=12,
)
# A body: a valid application with one field replaced (by awkward text half the time, as
# text is what reaches the database), or any JSON value, or any bytes, or deep nesting.
application_bodies = st.one_of(
    st.builds(
        lambda field, value: json.dumps({**API_APPLICATION, field: value}).encode(),
        st.sampled_from([*API_APPLICATION, "unknown"]),
        awkward_text | json_values,
    ),
    st.builds(
        lambda key, value: json.dumps({**API_APPLICATION, "answers": {key: value}}).encode(),
        awkward_text,
        awkward_text | json_values,
    ),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.integers(min_value=1, max_value=80).map(lambda depth: b"[" * depth + b"]" * depth),
)


def as_bytes(text: str) -> bytes:
    """The bytes a client would send for the text, lone surrogates included."""
    return text.encode("utf-8", "surrogatepass")


def as_query(text: str) -> str:
    return quote(as_bytes(text), safe="")


def assert_clear_refusal_or_success(response) -> None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
        body = response.json()
        assert isinstance(body["detail"], str)
        assert body["detail"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Every example must reach the code, not a 429 after the first minute's share."""
    settings.PASSAGE_RATE_LIMITS = False


@pytest.fixture
def applicant_client():
    token = api_token(create_user(Role.APPLICANT), "phone")
    return Client(headers={"Authorization": f"Bearer {token}"})


@FUZZ
@given(body=application_bodies)
def test_no_application_body_makes_a_server_error(applicant_client, body):
    response = applicant_client.post(
        "/api/v1/applications",
        data=body,
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert_clear_refusal_or_success(response)


@FUZZ
@given(lines=st.lists(json_values, max_size=5))
def test_no_triage_line_makes_a_server_error(applicant_client, lines):
    response = applicant_client.post(
        "/api/v1/triage", data=json.dumps(lines).encode(), content_type="application/json"
    )

    assert_clear_refusal_or_success(response)


@FUZZ
@given(after=awkward_text, limit=awkward_text, key=awkward_text)
def test_no_query_string_or_header_makes_a_server_error(applicant_client, after, limit, key):
    case = submit_case()
    reader = Client(
        headers={"Authorization": f"Bearer {api_token(case.application.applicant, 'phone')}"}
    )

    # As a client sends them: percent-encoded bytes in the query, raw bytes in a header.
    query = f"after={as_query(after)}&limit={as_query(limit)}"
    events = reader.get(f"/api/v1/cases/{case.public_id}/events?{query}")
    submitted = applicant_client.post(
        "/api/v1/applications",
        data=json.dumps(API_APPLICATION).encode(),
        content_type="application/json",
        headers={"Idempotency-Key": as_bytes(key).decode("latin-1")},
    )

    assert_clear_refusal_or_success(events)
    assert_clear_refusal_or_success(submitted)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b'{"given_name": "A\\u0000"}', 422, "given_name"),
        (b'{"answers": {"pet": {"name": "\\u0000"}}}', 422, "answers.pet.name"),
        (b'{"given_name": "\\ud800"}', 400, "body"),
        (b'{"answers": {"funds_cad": NaN}}', 400, "body"),
        (b'{"answers": {"funds_cad": 1e999}}', 400, "body"),
        (b'{"documents": [{"kind": "pass\\u0000port"}]}', 422, "documents[0].kind"),
    ],
)
def test_bad_json_is_refused_naming_what_and_where(applicant_client, body, status, field):
    response = applicant_client.post(
        "/api/v1/applications",
        data=body,
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == status
    assert field in response.json()["errors"]


# --- The question pages ------------------------------------------------------------------

# The programs open to applications that have question flows (the historical IT worker
# pilot is closed).
PROGRAMS = programs_with_a_flow(open_only=True)


def input_names(question: Question) -> list[str]:
    """Every input name a question's form has (and one more row than it shows)."""
    if question.type == "date":
        return [f"{question.id}-{part}" for part in ("day", "month", "year")]
    if question.type == "periods":
        return [
            f"{question.id}-{row}-{end}-{part}"
            for row in (0, 1)
            for end in ("from", "to")
            for part in ("day", "month", "year")
        ] + [f"{question.id}-0-credited"]
    if question.type == "people":
        return [
            f"{question.id}-{row}-{field}"
            for row in (0, 1)
            for field in (
                "given_name",
                "family_name",
                "date_of_birth-day",
                "date_of_birth-month",
                "date_of_birth-year",
                "relationship",
            )
        ]
    return [question.id]


@pytest.fixture
def portal():
    load_programs()
    person = create_user(Role.APPLICANT)
    client = Client()
    client.force_login(person)
    return person, client


@FUZZ
@given(
    program=st.sampled_from(PROGRAMS),
    page_index=st.integers(min_value=0, max_value=30),
    values=st.lists(awkward_text, min_size=1, max_size=30),
    action=st.sampled_from(["continue", "later", "add", "remove-people-0", "remove-x-99999"]),
)
def test_no_answer_on_a_question_page_makes_a_server_error(
    portal, program, page_index, values, action
):
    person, client = portal
    draft = drafts.start_draft(person=person, program_code=program)
    draft.answers = dict(ANSWERS[program])
    draft.save(update_fields=["answers"])
    flow = flow_for(program)
    pages = engine.visible_pages(flow, draft.answers, on=draft.created_at.date())
    page = pages[page_index % len(pages)]
    names = [name for question in page.questions for name in input_names(question)]
    data = {name: values[index % len(values)] for index, name in enumerate(names)}

    fields = {**data, "action": action, "version": str(draft.version)}
    # Encoded as a browser would send them, whatever bytes the text makes.
    body = "&".join(f"{as_query(name)}={as_query(value)}" for name, value in fields.items())

    response = client.post(
        reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": page.id}),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code < 500


@pytest.mark.parametrize("answer", ["Ana\x00", "\x07bell"], ids=["NUL", "a control character"])
def test_a_control_character_in_an_answer_is_named_and_nothing_is_saved(portal, answer):
    person, client = portal
    draft = drafts.start_draft(person=person, program_code="iec")
    flow = flow_for("iec")
    page = next(p for p in flow.pages if any(q.id == "given_name" for q in p.questions))

    response = client.post(
        reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": page.id}),
        {"given_name": answer, "family_name": "Silva", "version": str(draft.version)},
    )

    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()
    draft.refresh_from_db()
    assert "given_name" not in draft.answers


def test_a_date_with_twenty_digit_parts_is_a_date_error_not_a_server_error(portal):
    person, client = portal
    draft = drafts.start_draft(person=person, program_code="iec")
    flow = flow_for("iec")
    page = next(p for p in flow.pages if any(q.id == "date_of_birth" for q in p.questions))

    response = client.post(
        reverse("intake:page", kwargs={"draft_id": draft.public_id, "page_id": page.id}),
        {
            "date_of_birth-day": "1",
            "date_of_birth-month": "9" * 20,
            "date_of_birth-year": "1998",
            "version": str(draft.version),
        },
    )

    assert response.status_code == 400
    assert "must be a real date" in response.content.decode()
