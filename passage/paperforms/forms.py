"""The form intake staff upload a scan with."""

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
