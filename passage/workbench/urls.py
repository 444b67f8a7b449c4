from django.urls import path
from django.utils.translation import gettext_lazy as _

from passage.workbench import document_views, supervision_views, views

app_name = "workbench"
urlpatterns = [
    path("", views.queue, name="queue"),
    path(_("next/"), views.take_next, name="take-next"),
    path(_("search/"), views.search, name="search"),
    path(_("files/<uuid:case_id>/"), views.case_detail, name="case"),
    path(
        _("files/<uuid:case_id>/request-documents/"),
        views.request_documents,
        name="request-documents",
    ),
    path(_("files/<uuid:case_id>/eligibility/"), views.record_eligibility, name="eligibility"),
    path(_("files/<uuid:case_id>/steps/"), views.record_step, name="step"),
    path(_("files/<uuid:case_id>/decision/"), views.record_decision, name="decision"),
    path(_("files/<uuid:case_id>/notes/"), views.add_note, name="note"),
    path(_("files/<uuid:case_id>/conflict/"), views.declare_conflict, name="conflict"),
    path(
        _("files/<uuid:case_id>/documents/<int:document_id>/"),
        document_views.document,
        name="document",
    ),
    path(
        _("files/<uuid:case_id>/documents/<int:document_id>/file/"),
        document_views.document_file,
        name="document-file",
    ),
    path(
        _("files/<uuid:case_id>/documents/<int:document_id>/download/"),
        document_views.document_download,
        name="document-download",
    ),
    path(_("supervision/"), supervision_views.overview, name="overview"),
    path(_("supervision/routing/"), supervision_views.run_routing, name="run-routing"),
    path(_("supervision/officers/"), supervision_views.officer_list, name="officers"),
    path(
        _("supervision/officers/<int:officer_id>/"),
        supervision_views.officer_detail,
        name="officer",
    ),
    path(
        _("supervision/officers/<int:officer_id>/leave/"),
        supervision_views.officer_leave,
        name="officer-leave",
    ),
    path(_("supervision/files/"), supervision_views.files, name="files"),
    path(_("supervision/jobs/"), supervision_views.jobs, name="jobs"),
]
