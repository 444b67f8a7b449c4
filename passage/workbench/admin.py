from django.contrib import admin

from passage.workbench.models import Leave, OfficerProfile, RoutingRun, Skill


@admin.register(OfficerProfile)
class OfficerProfileAdmin(admin.ModelAdmin):
    list_display = ("officer", "weekly_capacity", "office")
    list_select_related = ("officer__office",)
    search_fields = ("officer__username", "officer__first_name", "officer__last_name")
    autocomplete_fields = ("officer",)

    @admin.display(ordering="officer__office__code")
    def office(self, profile: OfficerProfile) -> object:
        return profile.officer.office


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("officer", "kind", "value", "proficiency")
    list_filter = ("kind", "proficiency")
    search_fields = ("officer__username", "value")
    autocomplete_fields = ("officer",)


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ("officer", "starts_on", "ends_on", "note")
    date_hierarchy = "starts_on"
    search_fields = ("officer__username", "officer__first_name", "officer__last_name")
    autocomplete_fields = ("officer",)


@admin.register(RoutingRun)
class RoutingRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "cases_considered", "assigned", "unassigned")
    readonly_fields = [f.name for f in RoutingRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # runs are made by routing, never by hand
