"""URL map: the JSON API outside the language prefix, every page under /en/ or /fr/, and
the site's own error pages in place of Django's (`passage/web/error_pages.py`)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from passage.api.urls import api
from passage.web import error_pages
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
    path(_("cases/"), include("passage.letters.urls")),
    path(_("workbench/"), include("passage.workbench.urls")),
    path(_("outages/"), include("passage.continuity.register_urls")),
    path(_("paper-forms/"), include("passage.paperforms.urls")),
    path(_("paper-intake/"), include("passage.paperforms.intake_urls")),
    path(_("correspondence/"), include("passage.correspondence.urls")),
    path("", include("passage.residence.urls")),
    path("", include("passage.continuity.receipt_urls")),
    path("status/", include("passage.continuity.status_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
