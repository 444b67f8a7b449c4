from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from passage.accounts.models import ApiToken, Office, User


@admin.register(User)
class PassageUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Passage", {"fields": ("preferred_language", "office")}),
    )
    list_filter = ("groups", "office", "is_active")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_fr", "time_zone")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "revoked_at")
    readonly_fields = ("token_hash",)
