from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from passage import clock
from passage.accounts import selectors, services
from passage.accounts.devices import known_device
from passage.accounts.requests import client_ip
from passage.accounts.views import locked_message


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with messages that say what to do next, and a lock after
    repeated failures that reads the same whether or not the account exists."""

    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Check them and try again; both are "
            "case-sensitive."
        ),
        "inactive": _("This account is closed."),
        "unverified": _(
            "Confirm your email address before you sign in: open the link in the email we "
            "sent you when you created your account."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = _("Username")
        username.error_messages["required"] = _("Enter your username")
        password.label = _("Password")
        password.error_messages["required"] = _("Enter your password")
        # Focus goes to the error summary when there is one; otherwise the page starts
        # at the top so that screen reader users hear the heading first.
        username.widget.attrs.pop("autofocus", None)
        username.widget.attrs.update(autocapitalize="none", spellcheck="false")

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        if "@" in username:
            # Accounts opened at sign-up are named by their email address, kept lowercase.
            username = self.cleaned_data["username"] = username.strip().lower()
        now = clock.now()
        ip_address = client_ip(self.request) if self.request else None
        browser = known_device(self.request, username) if self.request else ""
        if selectors.sign_in_blocked(
            username=username, ip_address=ip_address, now=now, device=browser
        ):
            raise ValidationError(locked_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            services.record_sign_in_attempt(
                username=username, ip_address=ip_address, succeeded=False, now=now, device=browser
            )
            if selectors.awaiting_email_verification(username=username, password=password):
                raise ValidationError(
                    self.error_messages["unverified"], code="unverified"
                ) from None
            raise
