from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "passage.web"
    label = "web"
    verbose_name = "Public pages"
