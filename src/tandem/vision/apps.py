from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class VisionConfig(AppConfig):
    name = "tandem.vision"
    label = "vision"
    verbose_name = gettext_lazy("Vision cascade")

    def ready(self) -> None:
        from tandem.people.picker import register
        from tandem.vision.selectors.leaders import nominee_scope

        register("vision.nominees", nominee_scope)
