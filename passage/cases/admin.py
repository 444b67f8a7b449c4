"""Cases and their events in the admin, to read only: a case changes through its commands,
and its log is never edited (the database refuses it too)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from passage.cases.models import Case, CaseEvent


class ReadOnly:
    """Admin pages that show records and never add, change or delete them: records that
    change only through their commands, or never."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(ReadOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = CaseEvent
    fields = ("sequence", "kind", "actor", "actor_role", "occurred_at", "ruleset_version")
    readonly_fields = fields
    ordering = ("sequence",)
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Case)
class CaseAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "program", "status", "tier", "received_at", "assigned_to")
    list_filter = ("status", "program")
    search_fields = ("reference",)
    list_select_related = ("program", "assigned_to")
    inlines = (CaseEventInline,)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("case", "sequence", "kind", "actor_role", "occurred_at")
    list_filter = ("kind", "actor_role")
    list_select_related = ("case",)
