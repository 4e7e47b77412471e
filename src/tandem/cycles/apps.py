from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "tandem.cycles"
    label = "cycles"
    verbose_name = "Assessment cycles"
