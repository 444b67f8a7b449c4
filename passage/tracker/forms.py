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
