from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "passage.triage"
    label = "triage"
    verbose_name = "Triage"
