"""The forms of the residence pages; each that changes something carries its key."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.forms import DatePartsField, IdempotentForm, ServiceErrorsForm
from passage.intake.flows.countries import COUNTRIES
from passage.residence.provinces import PROVINCES


def _province_choices() -> list[tuple[str, Any]]:
    return [("", _("Select a province or territory")), *((p.code, p.name) for p in PROVINCES)]


class TakeUpForm(IdempotentForm):
    """Take up the invitation the link names."""


class DeclarationForm(IdempotentForm, ServiceErrorsForm):
    in_canada = forms.BooleanField(
        label=_(
            "I declare that I am physically in Canada today, and that the information I "
            "give is true and complete. I know that a false statement can lead to the loss "
            "of permanent residence."
        ),
        required=False,
    )
    city = forms.CharField(
        label=_("City or town where you are"),
        max_length=100,
        required=False,
    )
    province = forms.ChoiceField(
        label=_("Province or territory"), choices=_province_choices, required=False
    )


class AddressForm(IdempotentForm, ServiceErrorsForm):
    line = forms.CharField(
        label=_("Street address or post office box"),
        help_text=_("For example: 123 Main Street, Apartment 4"),
        max_length=200,
        required=False,
    )
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    province = forms.ChoiceField(
        label=_("Province or territory"), choices=_province_choices, required=False
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        help_text=_("For example: K1A 0B1"),
        max_length=10,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].widget.attrs.update(autocomplete="street-address")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")
        self.fields["postal_code"].widget.attrs.update(
            autocomplete="postal-code", spellcheck="false"
        )


class PhotoForm(IdempotentForm, ServiceErrorsForm):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "A recent colour photo in JPEG or PNG format: your face and the top of your "
            "shoulders, looking straight at the camera, on a plain white or light background."
        ),
        required=False,
    )


class SubmitForm(IdempotentForm):
    pass


def _countries(language_blank: Any) -> list[tuple[str, Any]]:
    return [("", language_blank), *((code, names[0]) for code, names in COUNTRIES.items())]


class DetailsForm(IdempotentForm, ServiceErrorsForm):
    """What the COPR states beyond names and date of birth, checked by the officer."""

    uci = forms.CharField(label=_("UCI"), max_length=14, required=False)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=300, required=False)
    country_of_birth = forms.ChoiceField(label=_("Country of birth"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", "—"), ("F", "F"), ("M", "M"), ("X", "X")],
        required=False,
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    travel_document_number = forms.CharField(
        label=_("Travel document number"), max_length=30, required=False
    )
    travel_document_country = forms.ChoiceField(
        label=_("Travel document issued by"), required=False
    )
    travel_document_expiry = DatePartsField(label=_("Travel document expiry date"), required=False)
    remarks = forms.CharField(
        label=_("Remarks (printed on the COPR)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _countries(_("Select a country"))
        for name in ("country_of_birth", "citizenship", "travel_document_country"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]


class ReturnForm(IdempotentForm, ServiceErrorsForm):
    reason = forms.CharField(
        label=_("What must the client change?"),
        help_text=_("The client reads this, in plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    photo_rejected = forms.BooleanField(
        label=_("The photo is not accepted: the client must send another one"), required=False
    )


class BatchConfirmForm(IdempotentForm):
    """The queue's batch: the ticked rows are read from the request as they come, so
    that one confirmed by someone else meanwhile is left out rather than failing all."""


class RevokeForm(IdempotentForm, ServiceErrorsForm):
    reason = forms.CharField(
        label=_("Why is this eCOPR revoked?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class VerifyForm(forms.Form):
    """The public check of an eCOPR: the PDF, a picture of its QR code, or its text."""

    document = forms.FileField(label=_("The eCOPR as a PDF file"), required=False)
    qr_image = forms.FileField(label=_("Or a picture of its QR code"), required=False)
    qr_text = forms.CharField(
        label=_("Or the text a scanner read from its QR code"),
        help_text=_("It begins with the letters PRC1."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class CardBatchForm(IdempotentForm):
    """Make a card batch, or mark one sent."""
