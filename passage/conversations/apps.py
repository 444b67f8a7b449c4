from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "passage.conversations"
    label = "conversations"
    verbose_name = "Secure messages"
