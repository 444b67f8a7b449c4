"""URL map: the JSON API outside the language prefix, every page under /en/ or /fr/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from passage.api.urls import api
from passage.web.views import root_redirect

urlpatterns = [
    path("", root_redirect, name="root"),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("passage.web.urls")),
    path(_("account/"), include("passage.accounts.urls")),
    path(_("apply/"), include("passage.intake.urls")),
    path(_("cases/"), include("passage.tracker.urls")),
    path(_("cases/"), include("passage.conversations.urls")),
    path(_("workbench/"), include("passage.workbench.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
