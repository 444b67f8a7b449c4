"""The form a client fills in to authorise a representative."""

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.accounts.forms import email_field


class AuthoriseRepresentativeForm(forms.Form):
    """Whom the client authorises, and their consent to it."""

    email = email_field(
        label=_("Your representative's email address"),
        help_text=_("The address of their representative's account on Passage."),
        required_message=_("Enter your representative's email address"),
    )
    membership_number = forms.CharField(
        label=_("Membership number"),
        help_text=_(
            "For a paid representative: their number with the College of Immigration and "
            "Citizenship Consultants, a law society or the Chambre des notaires du Québec."
        ),
        max_length=40,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I authorise this person to apply for me and to act for me on my applications, "
            "and to see them, until I revoke this authorisation."
        ),
        error_messages={"required": _("Confirm that you authorise this person")},
    )
