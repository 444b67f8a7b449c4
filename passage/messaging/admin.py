from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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

    @admin.action(description=_("Try the selected failed emails again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_failed_emails(ids=queryset.values_list("pk", flat=True), now=clock.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d failed email will be tried again.",
                "%(count)d failed emails will be tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
