from django.contrib import admin

from passage.messaging.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "to_email", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
