from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "passage.tracker"
    label = "tracker"
    verbose_name = "Case status tracker"
