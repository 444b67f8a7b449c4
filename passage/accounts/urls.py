"""Account pages: sign-up, email verification, password reset, multi-factor
authentication, sessions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path(_("sign-up/"), views.sign_up, name="sign-up"),
    path(_("sign-up/check-your-email/"), views.sign_up_sent, name="sign-up-sent"),
    path(_("verify/<str:token>/"), views.verify_email, name="verify-email"),
    path(_("sign-in/code/"), views.sign_in_code, name="sign-in-code"),
    path(_("security/"), views.set_up_mfa, name="mfa"),
    path(_("sign-out-everywhere/"), views.sign_out_everywhere, name="sign-out-everywhere"),
    path(_("forgot-password/"), views.forgot_password, name="forgot-password"),
    path(
        _("forgot-password/check-your-email/"),
        views.forgot_password_sent,
        name="forgot-password-sent",
    ),
    path(
        _("reset-password/<str:uidb64>/<str:token>/"),
        views.reset_password,
        name="password-reset",
    ),
    path(_("security/recovery-codes/"), views.new_recovery_codes, name="recovery-codes"),
    path(_("security/remove/"), views.remove_mfa, name="mfa-remove"),
    path(_("security/replace/"), views.replace_mfa, name="mfa-replace"),
    path(_("time-zone/"), views.time_zone, name="time-zone"),
    path(_("contact-details/"), views.contact_details, name="contact-details"),
]
