"""The forms of intake staff: a scan to upload, and the day a form keyed in was signed."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.forms import DatePartsField, IdempotentForm, ServiceErrorsForm
from passage.paperforms.models import PaperScan


class ScanForm(ServiceErrorsForm, IdempotentForm):
    """A scan or a phone photo of a paper form, the day it was received and how."""

    scan = forms.FileField(
        label=_("Scan of the form (PDF, PNG or JPEG)"),
        help_text=_("Every page, with the barcodes. A phone photo will do."),
    )
    received_on = DatePartsField(
        label=_("Day the form was received"),
        help_text=_("The postmark's day for mail, or the day it was handed in at the counter."),
    )
    received_by = forms.ChoiceField(
        label=_("How it was received"),
        choices=PaperScan.ReceivedBy.choices,
        widget=forms.RadioSelect,
        initial=PaperScan.ReceivedBy.MAIL,
    )


class SignedOnForm(forms.Form):
    """The day the client signed a form being keyed in: the day its answers are judged
    on, as printed on the form beside the signature."""

    signed_on = DatePartsField(
        label=_("Day the form was signed"),
        help_text=_("As the client wrote it beside the signature."),
    )

    def __init__(self, *args: Any, received_on: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received_on = received_on

    def clean_signed_on(self) -> datetime.date:
        signed_on: datetime.date = self.cleaned_data["signed_on"]
        if signed_on > self.received_on:
            raise forms.ValidationError(_("A form cannot be signed after the day it was received."))
        return signed_on
