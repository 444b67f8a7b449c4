from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "passage.messaging"
    label = "messaging"
    verbose_name = _("Messaging and notifications")
