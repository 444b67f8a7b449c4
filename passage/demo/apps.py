from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "passage.demo"
    label = "demo"
    verbose_name = "Demonstration data"
