"""The case status tracker's pages."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from passage.tracker import inquiry_views, sent_documents_views, views, withdrawal_views

app_name = "tracker"
urlpatterns = [
    path(_("link/"), views.link_case, name="link"),
    path(format_lazy("{}<uuid:request_id>/", _("link/")), views.enter_code, name="code"),
    path("<uuid:case_id>/", views.case_page, name="case"),
    path(
        format_lazy("<uuid:case_id>/{}", _("documents/")),
        views.send_documents,
        name="documents",
    ),
    path(
        format_lazy("<uuid:case_id>/{}<int:document_id>/", _("documents/")),
        sent_documents_views.sent_document,
        name="document",
    ),
    path(
        format_lazy("<uuid:case_id>/{}", _("send-documents/")),
        sent_documents_views.send_other_documents,
        name="send-other-documents",
    ),
    path(
        format_lazy("<uuid:case_id>/{}", _("inquiry/")),
        inquiry_views.inquiry,
        name="inquiry",
    ),
    path(
        format_lazy("<uuid:case_id>/{}", _("withdraw/")),
        withdrawal_views.withdraw,
        name="withdraw",
    ),
]
