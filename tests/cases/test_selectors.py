import uuid

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from passage.accounts.roles import Role
from passage.cases import selectors, services
from passage.cases.models import Case, CaseParty
from passage.cases.status import CaseStatus, PartyRole
from tests.builders import (
    case_in_status,
    create_officer,
    create_program,
    create_user,
    submit_case,
)
from tests.workbench.builders import create_skilled_officer, create_supervisor

pytestmark = pytest.mark.django_db


def test_an_applicant_sees_their_own_case_and_no_other():
    mine = submit_case()
    theirs = submit_case()
    applicant = mine.application.applicant

    assert list(selectors.cases_visible_to(applicant)) == [mine]
    with pytest.raises(Case.DoesNotExist):
        selectors.get_case(person=applicant, case_id=theirs.public_id)


def test_a_revoked_representative_loses_access_at_once():
    case = submit_case()
    applicant, representative = case.application.applicant, create_user(Role.REPRESENTATIVE)
    access = {"case_id": case.public_id, "actor": applicant, "person": representative}
    services.grant_access(**access, role=PartyRole.REPRESENTATIVE, idempotency_key="grant")
    assert selectors.get_case(person=representative, case_id=case.public_id) == case

    services.revoke_access(**access, role=PartyRole.REPRESENTATIVE, idempotency_key="revoke")

    with pytest.raises(Case.DoesNotExist):
        selectors.case_status(person=representative, case_id=case.public_id)


def test_analysts_see_every_case_and_officers_and_supervisors_those_in_their_reach():
    cases = [submit_case(), submit_case()]
    officer = create_user(Role.OFFICER)  # no office, no skill: only files given to them
    given = case_in_status(CaseStatus.TRIAGE, officer=officer)
    Case.objects.filter(pk=given.pk).update(program=create_program("pr-card"))

    assert set(selectors.cases_visible_to(create_user(Role.ANALYST))) == {*cases, given}
    assert set(selectors.cases_visible_to(officer)) == {given}
    assert set(selectors.cases_visible_to(create_supervisor())) == set(cases)
    assert set(selectors.cases_visible_to(create_user(Role.SUPERVISOR))) == set()


def test_a_deactivated_account_sees_nothing():
    case = submit_case()
    applicant = case.application.applicant
    applicant.is_active = False
    applicant.save()

    assert not selectors.cases_visible_to(applicant).exists()


def test_the_status_read_gives_steps_and_recent_events_newest_first():
    officer = create_officer()
    case = case_in_status(CaseStatus.IN_REVIEW, officer=officer)

    status = selectors.case_status(person=case.application.applicant, case_id=case.public_id)

    assert status["status"] == CaseStatus.IN_REVIEW
    assert status["eligibility"] == "not_started"
    # Review begun, triage begun, submitted: giving the file to its officer (3) is internal.
    assert [e["sequence"] for e in status["recent_events"]] == [4, 2, 1]


def test_the_status_read_takes_two_queries_whatever_the_history(django_assert_max_num_queries):
    case = case_in_status(CaseStatus.APPROVED)
    applicant = case.application.applicant
    applicant.role_names()  # the role look-up is per request, not per case

    with django_assert_max_num_queries(2):
        selectors.case_status(person=applicant, case_id=case.public_id)


@settings(max_examples=25, deadline=None)
@given(
    owners=st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8),
    revoked=st.lists(st.booleans(), min_size=8, max_size=8),
    asker=st.integers(min_value=0, max_value=4),
)
def test_a_client_is_never_shown_a_case_they_are_not_an_active_party_to(owners, revoked, asker):
    people = [create_user(Role.APPLICANT) for _ in range(5)]
    cases = []
    for index, owner in enumerate(owners):
        case = submit_case(people[owner], idempotency_key=uuid.uuid4().hex)
        if revoked[index]:
            CaseParty.objects.filter(case=case).update(revoked_at=timezone.now())
        cases.append((case, owner, revoked[index]))

    visible = set(selectors.cases_visible_to(people[asker]))

    expected = {case for case, owner, was_revoked in cases if owner == asker and not was_revoked}
    assert visible == expected


@settings(max_examples=25, deadline=None)
@given(
    staff=st.booleans(),
    owner_is_asker=st.booleans(),
    revoked=st.booleans(),
    active=st.booleans(),
)
def test_the_status_read_follows_exactly_the_same_visibility_rule(
    staff, owner_is_asker, revoked, active
):
    case = submit_case()
    asker = create_skilled_officer() if staff else create_user(Role.APPLICANT)
    if owner_is_asker:
        CaseParty.objects.create(
            case=case, person=asker, role=PartyRole.SPONSOR, granted_at=timezone.now()
        )
    if revoked:
        CaseParty.objects.filter(case=case, person=asker).update(revoked_at=timezone.now())
    asker.is_active = active
    asker.save()

    # As staff, every case without a conflict of interest; as a client (staff included,
    # for a case that concerns them), the cases they are an active party to.
    may_see = (
        selectors.cases_visible_to(asker).filter(pk=case.pk).exists()
        or selectors.cases_of_party(asker).filter(pk=case.pk).exists()
    )
    try:
        selectors.case_status(person=asker, case_id=case.public_id)
        status_shown = True
    except Case.DoesNotExist:
        status_shown = False

    assert status_shown == may_see
