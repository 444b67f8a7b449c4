"""Forms of the tracker pages: link a case, enter the code, send requested documents."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.forms import DatePartsField, IdempotentForm


class LinkCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Application number"),
        help_text=_("It starts with P and has 15 digits after it, as in your confirmation email."),
        max_length=40,
        error_messages={"required": _("Enter the application number")},
    )
    date_of_birth = DatePartsField(
        label=_("Date of birth of the person who applied"),
        help_text=_("For example, 27 3 1985"),
        autocomplete="bday",
        error_messages={
            "required": _("Enter the date of birth"),
            "incomplete": _("Enter the date of birth"),
            "invalid": _("Enter a real date, like 27 3 1985"),
        },
    )


class LinkCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the email"),
        help_text=_("6 digits. The code works once, for 10 minutes."),
        max_length=12,
        error_messages={"required": _("Enter the code from the email")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", inputmode="numeric", spellcheck="false"
        )


class AnswerDocumentsForm(IdempotentForm):
    """The files for one document request; the key makes a double click send once."""

    request = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(IdempotentForm):
    """A client's request to withdraw their application, confirmed."""

    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        help_text=_("It helps us improve. Officers read it; it changes nothing."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: a withdrawn application is not processed any further, and the "
            "fees paid are not always refunded. To go on later, I would apply again."
        ),
        error_messages={"required": _("Confirm that you want to withdraw the application.")},
    )


class OtherDocumentsForm(IdempotentForm):
    """Documents a client sends that nobody asked for, and what they are."""

    description = forms.CharField(
        label=_("What are these documents?"),
        help_text=_("For example: my new passport, our child's birth certificate."),
        max_length=200,
        error_messages={
            "required": _("Say what the documents are."),
            "max_length": _("Write at most 200 characters."),
        },
    )


class InquiryForm(IdempotentForm):
    """A client's question about an application past its inquiry date."""

    question = forms.CharField(
        label=_("Your question"),
        help_text=_("Tell us what you would like to know. An officer answers in your messages."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Write your question.")},
    )
