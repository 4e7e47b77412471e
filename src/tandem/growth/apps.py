from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class GrowthConfig(AppConfig):
    name = "tandem.growth"
    label = "growth"
    verbose_name = gettext_lazy("Growth")
