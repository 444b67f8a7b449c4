from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperFormsConfig(AppConfig):
    name = "passage.paperforms"
    label = "paperforms"
    verbose_name = _("Paper forms")
