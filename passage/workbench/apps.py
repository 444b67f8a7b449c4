from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "passage.workbench"
    label = "workbench"
    verbose_name = "Workbench"
