"""The outage register in the admin, to read only: outages change through the register's
services (`services.py`), which keep every change in their trail, and are withdrawn,
never deleted."""

from django.contrib import admin

from passage.cases.admin import ReadOnly
from passage.continuity.models import Outage, OutageUpdate


class OutageUpdateInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = OutageUpdate
    fields = ("at", "by", "status", "changes")
    readonly_fields = fields
    ordering = ("at", "pk")
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Outage)
class OutageAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "kind", "status", "starts_at", "ends_at", "withdrawn_at")
    list_filter = ("kind", "status", "opened_by_probes")
    search_fields = ("reference", "title_en", "title_fr")
    inlines = (OutageUpdateInline,)


@admin.register(OutageUpdate)
class OutageUpdateAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("outage", "at", "by", "status")
    list_filter = ("status",)
    list_select_related = ("outage", "by")
