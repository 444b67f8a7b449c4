from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "passage.messaging"
    label = "messaging"
    verbose_name = "Messaging and notifications"
