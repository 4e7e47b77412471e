from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OverviewConfig(AppConfig):
    name = "tandem.overview"
    label = "overview"
    verbose_name = gettext_lazy("Organisation view")
