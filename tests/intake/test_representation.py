"""Representatives act for a client only under the client's authorisation, and lose
every access the moment the client revokes it. A sponsor applies as the sponsor."""

import pytest
from django.test import Client
from django.urls import reverse

from passage.accounts.roles import Role
from passage.cases.errors import InvalidRequest
from passage.cases.models import CaseParty
from passage.cases.parties import client_scope
from passage.cases.selectors import cases_visible_to
from passage.cases.status import ActorRole, EventKind, PartyRole
from passage.intake import drafts, representation
from passage.intake.catalogue import load_programs
from passage.intake.models import Representation
from passage.intake.selectors import submitted_applications
from tests.builders import create_user, same_page_parts, submit_case
from tests.intake.builders import fill_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programs():
    load_programs()


@pytest.fixture
def client_person():
    return create_user(Role.APPLICANT, username="amara", email="amara@example.com")


@pytest.fixture
def representative():
    return create_user(
        Role.REPRESENTATIVE,
        username="rcic",
        email="Counsel@Example.com",
        first_name="Jean",
        last_name="Tremblay",
    )


def authorise(client_person, representative):
    return representation.authorise_representative(
        client=client_person, email="counsel@example.com", membership_number="R123456"
    )


def test_a_representative_prepares_and_submits_an_application_for_an_authorising_client(
    client_person, representative
):
    authorised = authorise(client_person, representative)
    draft = drafts.start_draft(
        person=representative, program_code="iec", representation_id=authorised.pk
    )
    fill_draft(representative, draft)

    submission = drafts.submit_draft(person=representative, draft_id=draft.public_id)

    case = submission.case
    assert case.application.applicant == client_person
    assert case.application.submitted_by == representative
    parties = {(p.person_id, p.role) for p in case.parties.filter(revoked_at__isnull=True)}
    assert parties == {
        (client_person.pk, PartyRole.APPLICANT),
        (representative.pk, PartyRole.REPRESENTATIVE),
    }
    submitted = case.events.get(kind=EventKind.SUBMITTED)
    assert (submitted.actor, submitted.actor_role) == (representative, ActorRole.REPRESENTATIVE)
    assert case.events.filter(kind=EventKind.ACCESS_GRANTED).count() == 1
    # The client sees the draft and the case that was filed for them.
    assert drafts.get_draft(person=client_person, draft_id=draft.public_id).case == case
    assert cases_visible_to(client_person).filter(pk=case.pk).exists()


def test_authorising_a_representative_shares_the_clients_existing_cases(
    client_person, representative
):
    case = submit_case(submitter=client_person)
    assert not cases_visible_to(representative).filter(pk=case.pk).exists()

    authorise(client_person, representative)

    assert cases_visible_to(representative).filter(pk=case.pk).exists()
    granted = case.events.get(kind=EventKind.ACCESS_GRANTED)
    assert granted.actor_role == ActorRole.APPLICANT
    assert granted.payload == {"person": representative.pk, "role": "representative"}


def test_revoking_ends_the_representatives_access_to_drafts_and_cases_at_once(
    client_person, representative
):
    authorised = authorise(client_person, representative)
    case = submit_case(submitter=client_person)
    assert cases_visible_to(representative).filter(pk=case.pk).exists()
    draft = drafts.start_draft(
        person=representative, program_code="iec", representation_id=authorised.pk
    )

    representation.revoke_representation(client=client_person, representation_id=authorised.pk)

    assert not cases_visible_to(representative).filter(pk=case.pk).exists()
    with pytest.raises(drafts.DraftNotFound):
        drafts.get_draft(person=representative, draft_id=draft.public_id)
    with pytest.raises(drafts.DraftNotFound):
        drafts.submit_draft(person=representative, draft_id=draft.public_id)
    with pytest.raises(drafts.DraftNotFound):
        drafts.start_draft(
            person=representative, program_code="iec", representation_id=authorised.pk
        )
    assert drafts.drafts_of(representative) == []
    revoked = case.events.get(kind=EventKind.ACCESS_REVOKED)
    assert revoked.actor == client_person
    # The client keeps the draft the representative started for them.
    assert drafts.get_draft(person=client_person, draft_id=draft.public_id) == draft


def test_authorising_twice_keeps_one_authorisation_and_revoking_twice_changes_nothing(
    client_person, representative
):
    first = authorise(client_person, representative)
    assert authorise(client_person, representative) == first
    submit_case(submitter=client_person)

    revoked = representation.revoke_representation(client=client_person, representation_id=first.pk)
    again = representation.revoke_representation(client=client_person, representation_id=first.pk)

    assert again.revoked_at == revoked.revoked_at
    assert Representation.objects.count() == 1


def test_only_a_representatives_account_can_be_authorised(client_person):
    create_user(Role.APPLICANT, username="friend", email="friend@example.com")

    for email in ("friend@example.com", "nobody@example.com", "amara@example.com"):
        with pytest.raises(InvalidRequest) as raised:
            representation.authorise_representative(client=client_person, email=email)
        assert "email" in raised.value.details["errors"]
    assert not Representation.objects.exists()


def test_another_client_cannot_revoke_an_authorisation_they_did_not_give(
    client_person, representative
):
    authorised = authorise(client_person, representative)
    stranger = create_user(Role.APPLICANT, username="stranger")

    with pytest.raises(representation.RepresentationNotFound):
        representation.revoke_representation(client=stranger, representation_id=authorised.pk)
    authorised.refresh_from_db()
    assert authorised.active


def test_a_representative_cannot_start_a_draft_for_someone_who_did_not_authorise_them(
    client_person, representative
):
    other = create_user(Role.REPRESENTATIVE, username="other-rep", email="other@example.com")
    authorised = authorise(client_person, representative)

    with pytest.raises(drafts.DraftNotFound):
        drafts.start_draft(person=other, program_code="iec", representation_id=authorised.pk)


def test_a_sponsor_applies_as_the_sponsor_of_the_case():
    sponsor = create_user(Role.SPONSOR, username="sponsor")
    draft = drafts.start_draft(person=sponsor, program_code="family-sponsor")
    fill_draft(sponsor, draft, "family-sponsor")

    case = drafts.submit_draft(person=sponsor, draft_id=draft.public_id).case

    party = CaseParty.objects.get(case=case)
    assert (party.person, party.role) == (sponsor, PartyRole.SPONSOR)
    assert case.events.get(kind=EventKind.SUBMITTED).actor_role == ActorRole.SPONSOR
    [listed] = submitted_applications(person=sponsor, language="en")
    assert listed.role == "Sponsor"


# --- Pages ------------------------------------------------------------------------------


def signed_in(person):
    browser = Client()
    browser.force_login(person)
    return browser


def test_a_client_authorises_and_revokes_a_representative_from_their_page(
    client_person, representative
):
    browser = signed_in(client_person)
    page = reverse("intake:representatives")

    missing = browser.post(page, {"email": "counsel@example.com"})
    assert missing.status_code == 200
    assert "Confirm that you authorise this person" in missing.text
    assert not Representation.objects.exists()

    answer = browser.post(page, {"email": "counsel@example.com", "consent": "on"}, follow=True)
    assert "Jean Tremblay can now apply and act for you." in answer.text
    authorised = Representation.objects.get()

    answer = browser.post(
        reverse("intake:revoke-representative", kwargs={"representation_id": authorised.pk}),
        follow=True,
    )
    assert "Jean Tremblay can no longer see or act on your applications." in answer.text
    authorised.refresh_from_db()
    assert not authorised.active


def test_an_unknown_representative_is_explained_next_to_the_field(client_person):
    answer = signed_in(client_person).post(
        reverse("intake:representatives"), {"email": "nobody@example.com", "consent": "on"}
    )
    assert answer.status_code == 200
    assert "There was a problem" in answer.text
    assert 'href="#id_email"' in answer.text


def test_a_revoked_representative_gets_the_same_404_as_for_a_missing_draft(
    client_person, representative
):
    authorised = authorise(client_person, representative)
    browser = signed_in(representative)
    answer = browser.post(
        reverse("intake:start-for-client"), {"representation": authorised.pk, "program": "iec"}
    )
    assert answer.status_code == 302
    draft = drafts.drafts_of(representative)[0]
    resume = reverse("intake:resume", kwargs={"draft_id": draft.public_id})
    assert browser.get(resume).status_code == 302
    assert "amara@example.com" in browser.get(reverse("intake:clients")).text

    representation.revoke_representation(client=client_person, representation_id=authorised.pk)

    revoked = browser.get(resume)
    missing = browser.get(
        reverse("intake:resume", kwargs={"draft_id": "00000000-0000-0000-0000-000000000000"})
    )
    assert revoked.status_code == missing.status_code == 404
    nowhere = "00000000-0000-0000-0000-000000000000"
    assert same_page_parts(revoked.text, draft.public_id) == same_page_parts(missing.text, nowhere)
    assert "No client has authorised you yet." in browser.get(reverse("intake:clients")).text


def test_only_representatives_have_a_clients_page(client_person):
    assert signed_in(client_person).get(reverse("intake:clients")).status_code == 404


def test_a_sponsors_representative_acts_for_the_sponsorship_part_only(representative):
    sponsor = create_user(Role.SPONSOR, username="sponsor")
    draft = drafts.start_draft(person=sponsor, program_code="family-sponsor")
    fill_draft(sponsor, draft, "family-sponsor")
    case = drafts.submit_draft(person=sponsor, draft_id=draft.public_id).case

    representation.authorise_representative(client=sponsor, email="counsel@example.com")

    party = CaseParty.objects.get(case=case, person=representative)
    assert (party.role, party.acts_for) == (PartyRole.REPRESENTATIVE, PartyRole.SPONSOR)
    assert client_scope(person_id=representative.pk, case=case) == PartyRole.SPONSOR
