from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with messages that say what to do next."""

    error_messages = {
        "invalid_login": _(
            "The username or password is incorrect. Check them and try again; both are "
            "case-sensitive."
        ),
        "inactive": _("This account is closed."),
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
