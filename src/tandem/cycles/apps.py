from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CyclesConfig(AppConfig):
    name = "tandem.cycles"
    label = "cycles"
    verbose_name = gettext_lazy("Assessment cycles")
