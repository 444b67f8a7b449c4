from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from passage import clock
from passage.messaging.models import OutboxMessage
from passage.messaging.services import retry_failed_emails


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "to_email",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "kind")
    search_fields = ("to_email",)
    readonly_fields = ("template_version", "created_at", "sent_at", "attempts", "last_error")
    actions = ["retry_failed"]

    @admin.action(description="Try the selected failed emails again")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_failed_emails(ids=queryset.values_list("pk", flat=True), now=clock.now())
        self.message_user(request, f"{count} failed emails will be tried again.", messages.SUCCESS)
