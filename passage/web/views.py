from typing import Any

from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

from passage import clock
from passage.accounts import mfa, services
from passage.accounts.access import gate
from passage.accounts.devices import known_device, remember_device
from passage.accounts.models import User
from passage.accounts.requests import client_ip
from passage.languages import active_language, address_in
from passage.web import homes
from passage.web.forms import SignInForm


@gate(public=True)
def root_redirect(request: HttpRequest) -> HttpResponse:
    """Send / to the home page in the visitor's language."""
    language = get_language_from_request(request)
    return HttpResponseRedirect(f"/{'fr' if language == 'fr' else 'en'}/")


@gate(public=True)
def home(request: HttpRequest) -> HttpResponse:
    """What Passage is, and the way in; for a signed-in client, their home. Staff and the
    admin are sent on to their own home (`homes.own_home`)."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        elsewhere = homes.own_home(user)
        if elsewhere is not None:
            return redirect(elsewhere)
        return render(request, "web/home.html", {"can_apply": homes.can_apply(user)})
    return render(request, "web/home.html")


@gate(public=True)
class SignInView(LoginView):
    """The password step. An account with an authenticator app goes on to the code step
    (`accounts:sign-in-code`) still signed out; any other signs in here."""

    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    person: User | None = None

    def get_success_url(self) -> str:
        """Where the person was going, in the language they signed in with: a `next`
        address kept from the other language (the toggle keeps the query) is translated.
        Without an allowed `next`, their own home (`homes.home_after_sign_in`)."""
        person = self.person or self.request.user
        target = self.get_redirect_url()
        if not target:
            target = (
                homes.home_after_sign_in(person)
                if isinstance(person, User)
                else super().get_success_url()
            )
        return address_in(target, active_language())

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        assert isinstance(user, User)
        self.person = user
        now = clock.now()
        if mfa.has_confirmed_device(user):
            mfa.begin_second_step(self.request, user=user, next_url=self.get_success_url(), now=now)
            return redirect("accounts:sign-in-code")
        services.record_sign_in_attempt(
            username=user.username,
            ip_address=client_ip(self.request),
            succeeded=True,
            now=now,
            device=known_device(self.request, user.username),
        )
        response = super().form_valid(form)
        remember_device(self.request, response, user.username)
        return response


@gate(public=True, before_second_factor=True)
class SignOutView(LogoutView):
    """A confirmation page on GET, so that sign-out works from a link; sign out on POST."""

    http_method_names = ["get", "post", "options"]
    template_name = "web/sign_out.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("web:home")
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("You have signed out."))
        return response
