from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "passage.cases"
    label = "cases"
    verbose_name = "Cases"
