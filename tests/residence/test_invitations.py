"""An approval invites the people who become permanent residents in Canada."""

import pytest

from passage.cases.models import CaseEvent
from passage.cases.status import EventKind
from passage.outbox.emails import render_email
from passage.outbox.models import OutboxMessage
from passage.residence.models import Confirmation
from passage.residence.states import ConfirmationState
from tests.builders import case_in_status
from tests.residence.builders import PRINCIPAL_EMAIL, approved_sponsorship, invitation_of

pytestmark = pytest.mark.django_db


def test_approving_a_sponsorship_invites_the_sponsored_person_in_canada():
    case = approved_sponsorship()

    principal = Confirmation.objects.get(case=case)
    assert (principal.given_names, principal.family_name) == ("Nino", "Quincampoix")
    assert principal.email == PRINCIPAL_EMAIL
    assert principal.state == ConfirmationState.INVITED
    assert (principal.due_at - principal.invited_at).days in (180, 181)
    invited = CaseEvent.objects.get(case=case, kind=EventKind.RESIDENCE_INVITED)
    assert invited.payload["person"] == 0


def test_the_invitation_is_one_email_in_both_languages_whose_link_is_made_when_sent():
    case = approved_sponsorship()

    email = OutboxMessage.objects.get(case=case, template="pr_invitation")
    assert email.to_email == PRINCIPAL_EMAIL
    assert set(email.context) == {"secret", "program", "program_fr", "reference_end"}
    principal, token = invitation_of(case)
    # The outbox keeps a reference to the link, never the link or its token.
    assert token not in str(email.context)
    built = render_email(
        template=email.template,
        version=email.template_version,
        language=email.language,
        context=email.context,
    )
    assert f"/residence/invitation/{principal.public_id}/{token}/" in built.body
    assert "Confirmez votre résidence permanente en ligne" in built.subject


def test_each_dependent_child_gets_a_confirmation_the_principal_acts_for():
    children = [
        {
            "given_name": "Léa",
            "family_name": "Quincampoix",
            "date_of_birth": "2015-04-02",
            "relationship": "biological",
        },
        {
            "given_name": "Tom",
            "family_name": "Quincampoix",
            "date_of_birth": "2018-09-12",
            "relationship": "adopted",
        },
    ]
    case = approved_sponsorship(has_dependent_children=True, dependent_children=children)

    people = list(Confirmation.objects.filter(case=case).order_by("position"))
    assert [person.given_names for person in people] == ["Nino", "Léa", "Tom"]
    assert [person.email for person in people] == [PRINCIPAL_EMAIL, "", ""]
    assert OutboxMessage.objects.filter(case=case, template="pr_invitation").count() == 1


def test_nobody_is_invited_when_the_sponsored_person_is_outside_canada():
    case = approved_sponsorship(principal_in_canada=False)

    assert not Confirmation.objects.filter(case=case).exists()
    assert not OutboxMessage.objects.filter(case=case, template="pr_invitation").exists()


def test_a_program_that_does_not_lead_to_permanent_residence_invites_nobody():
    case = case_in_status("approved")

    assert not Confirmation.objects.filter(case=case).exists()
