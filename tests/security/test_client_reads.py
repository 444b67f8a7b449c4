"""Every client read of a case, page or API, follows the one part-of-the-case rule: over
random cases (steps worked, documents asked for, internal notes), random parties
(applicant, sponsor, representatives acting for either, revoked ones) and every endpoint,
a client sees exactly their part and never the department's internal work.

The oracle here is written from the rule as the tracker states it, not from the code:
a sponsor (or a representative acting for one) sees the eligibility step and what belongs
to it; the applicant's side sees every step; internal events are for the department only;
a revoked party or a stranger gets the 404 of a missing case."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passage import clock
from passage.accounts.roles import Role
from passage.cases import services
from passage.cases.models import Case, CaseEvent
from passage.cases.status import INTERNAL_EVENT_KINDS, PartyRole, Step, StepState
from tests.accounts.builders import api_token
from tests.builders import create_user, give_to
from tests.tracker.builders import add_party
from tests.workbench.builders import create_skilled_officer, ready_case

pytestmark = pytest.mark.django_db

SPONSORSHIP_PART = {Step.ELIGIBILITY.value}
EVERY_STEP = {step.value for step in Step}
STEP_LABELS = {
    Step.BACKGROUND.value: "Background check",
    Step.MEDICAL.value: "Medical exam",
    Step.BIOMETRICS.value: "Biometrics",
}

# One party of the case under test: the role, whom a representative acts for, revoked.
parties = st.lists(
    st.tuples(
        st.sampled_from([PartyRole.SPONSOR, PartyRole.REPRESENTATIVE]),
        st.sampled_from([PartyRole.APPLICANT, PartyRole.SPONSOR]),
        st.booleans(),
    ),
    min_size=1,
    max_size=3,
)
# Work on the case: ask for documents on a step, record a step, or write an internal note.
work = st.lists(
    st.tuples(st.sampled_from(["request", "record", "note"]), st.sampled_from(list(Step))),
    max_size=5,
)


def worked(actions):
    officer = create_skilled_officer()
    case = give_to(ready_case(), officer)
    for action, step in actions:
        key = uuid.uuid4().hex
        state = Case.objects.values_list(step.value, flat=True).get(pk=case.pk)
        if action in ("request", "record") and state in (
            StepState.COMPLETED,
            StepState.IN_PROGRESS,
        ):
            continue  # work the step's state does not allow (triage completed eligibility)
        if action == "request":
            services.request_documents(
                case_id=case.public_id,
                actor=officer,
                step=step,
                items=["A document"],
                due_on=clock.now().date() + timedelta(days=20),
                idempotency_key=key,
            )
        elif action == "record" and step != Step.ELIGIBILITY:
            services.record_step(
                case_id=case.public_id,
                actor=officer,
                step=step,
                state=StepState.IN_PROGRESS,
                idempotency_key=key,
                note="Officer's words, never shown to clients.",
            )
        else:
            services.add_note(
                case_id=case.public_id, actor=officer, text="Internal.", idempotency_key=key
            )
    return case


def expected_part(role, acts_for):
    sponsor_side = role == PartyRole.SPONSOR or (
        role == PartyRole.REPRESENTATIVE and acts_for == PartyRole.SPONSOR
    )
    return SPONSORSHIP_PART if sponsor_side else EVERY_STEP


def allowed_sequences(case, steps):
    allowed = set()
    for event in CaseEvent.objects.filter(case=case):
        step = event.payload.get("step")
        if event.kind not in INTERNAL_EVENT_KINDS and (step is None or step in steps):
            allowed.add(event.sequence)
    return allowed


def read_everything(person, case):
    """What each client endpoint answers this person about the case."""
    token = api_token(person, "phone")
    api = Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
    page = Client()
    page.force_login(person)
    return {
        "status": api.get(f"/api/v1/cases/{case.public_id}"),
        "events": api.get(f"/api/v1/cases/{case.public_id}/events?limit=500"),
        "tracker": api.get(f"/api/v1/cases/{case.public_id}/tracker"),
        "page": page.get(reverse("tracker:case", kwargs={"case_id": case.public_id})),
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(parties=parties, actions=work)
def test_a_client_reads_exactly_their_part_of_a_case_on_every_endpoint(parties, actions):
    case = worked(actions)
    people = [(case.application.applicant, PartyRole.APPLICANT, "", False)]
    for role, acts_for, revoke in parties:
        person = add_party(case, role)
        if role == PartyRole.REPRESENTATIVE:
            case.parties.filter(person=person).update(acts_for=acts_for)
        if revoke:
            services.revoke_access(
                case_id=case.public_id,
                actor=person,
                person=person,
                role=role,
                idempotency_key=uuid.uuid4().hex,
            )
        people.append((person, role, acts_for, revoke))
    people.append((create_user(Role.APPLICANT), None, "", True))  # a stranger

    for person, role, acts_for, gone in people:
        answers = read_everything(person, case)
        if gone:
            assert {name: answer.status_code for name, answer in answers.items()} == {
                name: 404 for name in answers
            }
            continue
        steps = expected_part(role, acts_for)
        allowed = allowed_sequences(case, steps)
        status = answers["status"].json()
        assert {step["step"] for step in status["steps"]} == steps
        assert {event["sequence"] for event in status["recent_events"]} <= allowed
        assert {event["sequence"] for event in answers["events"].json()} == allowed
        tracker = answers["tracker"].json()
        assert {step["step"] for step in tracker["steps"]} == steps
        assert {due["step"] for due in tracker["documents_due"]} <= steps
        assert len(tracker["history"]) == len(allowed)
        html = answers["page"].content.decode()
        for step, label in STEP_LABELS.items():
            assert (label in html) == (step in steps), (label, role, acts_for)
        assert "never shown to clients" not in html
        assert "Internal." not in html
