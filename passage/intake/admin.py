from django.contrib import admin

from passage.intake.models import Application, Document, Draft, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "service_standard_days", "is_open")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("id", "program", "category", "family_name", "submitted_at")
    list_filter = ("program",)
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # applications enter only through the submission service


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("filename", "kind", "content_type", "size", "sha256")
    readonly_fields = [f.name for f in Document._meta.fields]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ("public_id", "program", "owner", "updated_at", "case")
    list_filter = ("program",)
    readonly_fields = [f.name for f in Draft._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # drafts are started by applicants in the portal
