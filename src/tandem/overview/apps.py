from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "tandem.overview"
    label = "overview"
    verbose_name = "Organisation view"
