"""Account pages: sign-up and email verification, password reset, the second step at
sign-in, the second factor (set-up, recovery codes, removal), and signing out everywhere.
Each view parses a form, calls a service and renders."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.models import Device

from passage import clock
from passage.accounts import mfa, selectors, services
from passage.accounts.access import gate, time_zone_of
from passage.accounts.contact_details import ContactDetailsError, change_contact_details
from passage.accounts.devices import known_device, remember_device
from passage.accounts.forms import (
    CodeForm,
    ContactDetailsForm,
    CurrentPasswordForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SetUpCodeForm,
    SignUpForm,
    TimeZoneForm,
)
from passage.accounts.models import User
from passage.accounts.requests import client_ip, person_of
from passage.accounts.roles import Role
from passage.accounts.time_zones import zone_in_words

# When a staff member gave their password to replace their authenticator app.
REPLACE_KEY = "passage_mfa_replace"


@gate(public=True)
def sign_up(request: HttpRequest) -> HttpResponse:
    """Open an account; the page after it is the same whether or not the address had one.
    A client address that sent too many sign-ups in the hour gets the form back with a 429
    and nothing is written."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignUpForm(_posted(request), initial={"preferred_language": get_language()})
    if request.method == "POST" and form.is_valid():
        now = clock.now()
        ip_address = client_ip(request)
        wait = selectors.sign_up_wait(ip_address=ip_address, now=now)
        if wait is not None:
            return _too_many_sign_ups(request, form, wait)
        data = form.cleaned_data
        services.sign_up(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=Role(data["role"]),
            preferred_language=data["preferred_language"],
            now=now,
            ip_address=ip_address,
        )
        request.session["passage_sign_up_email"] = data["email"]
        return redirect("accounts:sign-up-sent")
    return render(request, "accounts/sign_up.html", {"form": form})


def _too_many_sign_ups(request: HttpRequest, form: SignUpForm, wait: int) -> HttpResponse:
    """The form again, with what was typed but the password, and when to try again."""
    minutes = -(-wait // 60)
    form.add_error(
        None,
        ngettext(
            "There were too many attempts to create an account from your connection. "
            "Wait %(minutes)d minute, then try again.",
            "There were too many attempts to create an account from your connection. "
            "Wait %(minutes)d minutes, then try again.",
            minutes,
        )
        % {"minutes": minutes},
    )
    response = render(request, "accounts/sign_up.html", {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


@gate(public=True)
def sign_up_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sign_up_sent.html",
        {
            "email": request.session.get("passage_sign_up_email", ""),
            "hours": settings.PASSAGE_EMAIL_VERIFICATION_HOURS,
        },
    )


@gate(public=True)
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """A page with a button: the link alone changes nothing, since mail scanners open
    links; the person's click (a POST) verifies the address."""
    if request.method == "POST":
        try:
            services.verify_email(token=token, now=clock.now())
        except services.VerificationError as error:
            return render(
                request, "accounts/verify_email_failed.html", {"reason": error.reason}, status=400
            )
        messages.success(request, _("Your email address is confirmed. You can sign in now."))
        return redirect(settings.LOGIN_URL)
    return render(request, "accounts/verify_email.html")


@gate(public=True)
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The next page is the same whether or not the address has an
    account, and whether or not an email went out."""
    form = ForgotPasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(email=form.cleaned_data["email"], now=clock.now())
        request.session["passage_reset_email"] = form.cleaned_data["email"]
        return redirect("accounts:forgot-password-sent")
    return render(request, "accounts/forgot_password.html", {"form": form})


@gate(public=True)
def forgot_password_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/forgot_password_sent.html",
        {
            "email": request.session.get("passage_reset_email", ""),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )


@gate(public=True)
def reset_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page the reset email links to. Opening it changes nothing (mail scanners open
    links); the new password, sent with the form, is what uses the link."""
    now = clock.now()
    user = services.person_for_password_reset(uidb64=uidb64, token=token, now=now)
    if user is None:
        return _reset_link_failed(request)
    form = NewPasswordForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(
                uidb64=uidb64, token=token, password=form.cleaned_data["password"], now=now
            )
        except services.PasswordResetError:
            return _reset_link_failed(request)
        if request.user.is_authenticated:
            logout(request)
        messages.success(request, _("Your password is changed. Sign in with your new password."))
        return redirect(settings.LOGIN_URL)
    return render(request, "accounts/reset_password.html", {"form": form})


def _reset_link_failed(request: HttpRequest) -> HttpResponse:
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    return render(request, "accounts/reset_password_failed.html", {"minutes": minutes}, status=400)


@gate(public=True, before_second_factor=True)
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step at sign-in, for accounts with an authenticator app."""
    now = clock.now()
    pending = mfa.pending_sign_in(request, now=now)
    if pending is None:
        mfa.abandon_second_step(request)
        messages.error(request, _("Your sign-in took too long. Sign in again."))
        return redirect(settings.LOGIN_URL)
    user, _step = pending
    form = CodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        ip_address = client_ip(request)
        browser = known_device(request, user.username)
        blocked = selectors.sign_in_blocked(
            username=user.username, ip_address=ip_address, now=now, device=browser
        )
        if blocked:
            mfa.abandon_second_step(request)
            messages.error(request, locked_message())
            return redirect(settings.LOGIN_URL)
        device = mfa.verify_code(user=user, code=form.cleaned_data["code"])
        services.record_sign_in_attempt(
            username=user.username,
            ip_address=ip_address,
            succeeded=device is not None,
            now=now,
            device=browser,
        )
        if device is not None:
            response = redirect(mfa.finish_second_step(request, user=user, device=device))
            remember_device(request, response, user.username)
            return response
        form.add_error(
            "code",
            _("The code is not right. Enter the code your app shows now, or a recovery code."),
        )
    return render(request, "accounts/sign_in_code.html", {"form": form})


def locked_message() -> str:
    """The same words whether or not an account has the name that was typed."""
    return _(
        "There were too many attempts to sign in. Wait %(minutes)d minutes, then try again."
    ) % {"minutes": settings.PASSAGE_SIGN_IN_LOCK_MINUTES}


@gate()
def account(request: HttpRequest) -> HttpResponse:
    """The person's account: their second factor and their sessions."""
    return _account_page(request)


def _account_page(
    request: HttpRequest,
    *,
    codes_form: CodeForm | None = None,
    remove_form: CurrentPasswordForm | None = None,
    zone_form: TimeZoneForm | None = None,
    contact_form: ContactDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = person_of(request)
    if codes_form is None:
        codes_form = SetUpCodeForm(prefix="codes")
    if zone_form is None:
        zone_form = TimeZoneForm(initial={"time_zone": time_zone_of(user)}, prefix="zone")
    if contact_form is None and not user.is_department_staff:
        contact_form = ContactDetailsForm(initial=_contact_details_of(user), prefix="contact")
    return render(
        request,
        "accounts/account.html",
        {
            "has_mfa": mfa.has_confirmed_device(user),
            "must_use_mfa": user.must_use_mfa,
            "codes_form": codes_form,
            "remove_form": remove_form or CurrentPasswordForm(user=user),
            "zone_form": zone_form,
            "contact_form": contact_form,
            "form": next(
                (form for form in (codes_form, zone_form, contact_form) if form and form.errors),
                remove_form,
            ),
        },
        status=status,
    )


@require_POST
@gate()
def time_zone(request: HttpRequest) -> HttpResponse:
    """The zone the person reads times in, chosen from the list."""
    user = person_of(request)
    form = TimeZoneForm(request.POST, prefix="zone")
    if not form.is_valid():
        return _account_page(request, zone_form=form, status=400)
    services.set_time_zone(
        user=user,
        time_zone=form.cleaned_data["time_zone"],
        idempotency_key=form.cleaned_data["idempotency_key"],
    )
    messages.success(
        request,
        _("Times are now shown in %(zone)s.") % {"zone": zone_in_words(user.time_zone)},
    )
    return redirect("accounts:account")


def _contact_details_of(user: User) -> dict[str, str]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "mailing_address": user.mailing_address,
        "preferred_language": user.preferred_language,
    }


@require_POST
@gate()
def contact_details(request: HttpRequest) -> HttpResponse:
    """A client's name, email address, telephone, mailing address and language; what
    changed is recorded on each of their open applications for the officers."""
    user = person_of(request)
    if user.is_department_staff:
        return redirect("accounts:account")
    form = ContactDetailsForm(request.POST, prefix="contact")
    if not form.is_valid():
        return _account_page(request, contact_form=form, status=400)
    try:
        changes = change_contact_details(user=user, now=clock.now(), **form.cleaned_data)
    except ContactDetailsError as error:
        field_errors = error.details.get("errors")
        for field, message in (field_errors if isinstance(field_errors, dict) else {}).items():
            form.add_error(field, message)
        return _account_page(request, contact_form=form, status=400)
    if changes:
        messages.success(request, _("Your contact details are saved."))
    else:
        messages.info(request, _("Your contact details are unchanged."))
    return redirect("accounts:account")


@require_POST
@gate()
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once, for a code from the app; the old ones stop working."""
    user = person_of(request)
    form = SetUpCodeForm(request.POST, prefix="codes")
    if form.is_valid() and _checked(request, user, form, lambda: _app_code_is_right(user, form)):
        codes = mfa.replace_recovery_codes(user=user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "renewed": True})
    return _account_page(request, codes_form=form, status=400)


@require_POST
@gate()
def remove_mfa(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator app off, with the password. Staff cannot be without one:
    they are sent to set up the new app, and the old one works until it is done."""
    user = person_of(request)
    form = CurrentPasswordForm(request.POST, user=user)
    if not _checked(request, user, form, form.is_valid):
        return _account_page(request, remove_form=form, status=400)
    if user.must_use_mfa:
        request.session[REPLACE_KEY] = clock.now().timestamp()
        return redirect("accounts:mfa-replace")
    mfa.remove_devices(user=user)
    messages.success(
        request, _("Your authenticator app is off. Your recovery codes no longer work.")
    )
    return redirect("accounts:account")


@gate()
def replace_mfa(request: HttpRequest) -> HttpResponse:
    """Set up a new authenticator app in place of the current one, within a few minutes of
    giving the password on the account page."""
    user = person_of(request)
    asked_at = request.session.get(REPLACE_KEY)
    if asked_at is None or clock.now().timestamp() - asked_at > mfa.PENDING_SECONDS:
        request.session.pop(REPLACE_KEY, None)
        return redirect("accounts:account")
    return _set_up_app(request, user, replacing=True)


def _app_code_is_right(user: User, form: forms.Form) -> bool:
    if mfa.verify_app_code(user=user, code=form.cleaned_data["code"]) is None:
        form.add_error("code", _("The code is not right. Enter the code your app shows now."))
        return False
    return True


def _checked(
    request: HttpRequest,
    user: User,
    form: forms.Form,
    check: Callable[[], bool],
) -> bool:
    """Run a password or code check under the sign-in lockout, so that a session left open
    cannot be used to guess the password or codes."""
    now = clock.now()
    ip_address = client_ip(request)
    browser = known_device(request, user.username)
    if selectors.sign_in_blocked(
        username=user.username, ip_address=ip_address, now=now, device=browser
    ):
        form.add_error(None, locked_message())
        return False
    right = check()
    if not right:
        services.record_sign_in_attempt(
            username=user.username, ip_address=ip_address, succeeded=False, now=now, device=browser
        )
    return right


@gate(before_second_factor=True)
def set_up_mfa(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app; or, for a session that has one but did not use it
    (staff sent here by the page gate, from any page), ask for a code."""
    user = person_of(request)
    next_url = _safe_next(request)
    if mfa.has_confirmed_device(user):
        if mfa.is_verified(request):
            return redirect(next_url or "accounts:account")
        form: CodeForm = CodeForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            found: list[Device] = []

            def code_is_right() -> bool:
                device = mfa.verify_code(user=user, code=form.cleaned_data["code"])
                found.extend([device] if device is not None else [])
                return device is not None

            # Under the lockout, as at sign-in: a session left open guesses no codes.
            if _checked(request, user, form, code_is_right):
                mfa.mark_verified(request, found[0])
                return redirect(next_url or "accounts:account")
            if not form.errors:
                form.add_error(
                    "code", _("The code is not right. Enter the code your app shows now.")
                )
        return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url})
    return _set_up_app(request, user, next_url=next_url)


def _set_up_app(
    request: HttpRequest, user: User, *, next_url: str = "", replacing: bool = False
) -> HttpResponse:
    """The page to add an authenticator app; the right code from it turns the app on and
    shows the recovery codes once. When `replacing`, the new app takes the old one's place."""
    device = mfa.totp_device_to_confirm(user=user)
    form = SetUpCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_totp_device(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            if replacing:
                request.session.pop(REPLACE_KEY, None)
            mfa.mark_verified(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        form.add_error(
            "code",
            _("The code is not right. Check that the app shows Passage, then enter its code."),
        )
    return render(
        request,
        "accounts/mfa_set_up.html",
        {
            "form": form,
            "secret": mfa.secret_text(device),
            "qr_code": mfa.qr_code_svg(device),
            "replacing": replacing,
            "must_use_mfa": user.must_use_mfa,
            "next": next_url,
        },
    )


@require_POST
@gate()
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user = person_of(request)
    services.sign_out_everywhere(user=user)
    logout(request)
    messages.success(request, _("You have signed out on every device."))
    return redirect("web:home")


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if allowed else ""


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data on POST (an empty form is still a form sent), else None."""
    return request.POST if request.method == "POST" else None
