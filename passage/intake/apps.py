from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "passage.intake"
    label = "intake"
    verbose_name = "Intake"
