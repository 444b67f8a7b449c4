from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from passage.accounts import time_zones
from passage.accounts.models import User
from passage.accounts.services import SIGN_UP_ROLES
from passage.forms import IdempotentForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PASSWORD_ADVICE = _(
    "At least 12 characters. A few unrelated words make a password that is long "
    "and easy to remember."
)


def email_field(
    *, label: "StrOrPromise", help_text: "StrOrPromise", required_message: "StrOrPromise"
) -> forms.EmailField:
    """An email address field, typed without autocorrect and filled from the browser."""
    return forms.EmailField(
        label=label,
        help_text=help_text,
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter an email address in the right form, like name@example.com"),
        },
    )


def _new_password_field(
    *, label: "StrOrPromise", required_message: "StrOrPromise"
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=PASSWORD_ADVICE,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": required_message},
    )


class NameFields(forms.Form):
    """A person's names, as the sign-up and the contact details ask them."""

    first_name = forms.CharField(
        label=_("Given names"),
        max_length=150,
        error_messages={"required": _("Enter your given names")},
    )
    last_name = forms.CharField(
        label=_("Family name"),
        help_text=_("Leave this empty if you have only one name."),
        max_length=150,
        required=False,
    )


class SignUpForm(NameFields):
    """Who the person is, how to reach them, and a password (NIST SP 800-63B rules)."""

    field_order = ["role", "first_name", "last_name", "email", "preferred_language"]

    role = forms.ChoiceField(
        label=_("Who are you?"),
        choices=[(role.value, role.label) for role in SIGN_UP_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you are")},
    )
    email = email_field(
        label=_("Email address"),
        help_text=_("We will send a link to this address to check that it is yours."),
        required_message=_("Enter your email address"),
    )
    preferred_language = forms.ChoiceField(
        label=_("Which language should we write to you in?"),
        choices=[("en", "English"), ("fr", "Français")],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose English or French")},
    )
    password = _new_password_field(label=_("Password"), required_message=_("Enter a password"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            # Compared with what the person typed: their name and email.
            person = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, person)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code in your authenticator app, or one of your recovery codes."),
        max_length=20,
        error_messages={"required": _("Enter the code")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            autocomplete="one-time-code", autocapitalize="none", spellcheck="false"
        )


class SetUpCodeForm(CodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class ForgotPasswordForm(forms.Form):
    email = email_field(
        label=_("Email address"),
        help_text=_("The address of your Passage account."),
        required_message=_("Enter your email address"),
    )


class _PersonForm(forms.Form):
    """A form checked against the person it is for."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class NewPasswordForm(_PersonForm):
    """A new password for `user`, held to the same rules as at sign-up."""

    password = _new_password_field(
        label=_("New password"), required_message=_("Enter a new password")
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class CurrentPasswordForm(_PersonForm):
    """The person's password again, before a change to how they sign in."""

    current_password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not right. Enter the password you sign in with."),
                code="wrong_password",
            )
        return password


class TimeZoneForm(IdempotentForm):
    """The zone the person reads times in."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("The times Passage shows you and emails you are in this time zone."),
        choices=time_zones.CHOICES,
        error_messages={
            "required": _("Choose a time zone"),
            "invalid_choice": _("Choose one of the time zones in the list."),
        },
    )


class ContactDetailsForm(IdempotentForm, NameFields):
    """How the department reaches a client: their name, email address, telephone, mailing
    address and the language it writes to them in."""

    field_order = ["first_name", "last_name", "email", "phone", "mailing_address"]

    email = email_field(
        label=_("Email address"),
        help_text=_("We write to you at this address. Your old address is told of a change."),
        required_message=_("Enter your email address"),
    )
    phone = forms.CharField(
        label=_("Telephone"),
        help_text=_("With the country code if you live outside Canada, like +33 1 23 45 67 89."),
        max_length=40,
        required=False,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ().-]{7,30}( ?(ext|poste|x)\.? ?[0-9]{1,6})?$",
                message=_("Enter a telephone number with digits only, like 613-555-0123."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    mailing_address = forms.CharField(
        label=_("Mailing address"),
        help_text=_("As you would write it on an envelope, with the postal code and country."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        error_messages={"max_length": _("Write at most 500 characters.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of correspondence"),
        choices=[("en", "English"), ("fr", "Français")],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose English or French"),
            "invalid_choice": _("Choose English or French"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
