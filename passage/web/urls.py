from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.web import analyst, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("sign-in/"), views.SignInView.as_view(), name="sign-in"),
    path(_("sign-out/"), views.SignOutView.as_view(), name="sign-out"),
    path(_("analysis/"), analyst.home, name="analyst"),
]
