from django.apps import AppConfig


class VisionConfig(AppConfig):
    name = "tandem.vision"
    label = "vision"
    verbose_name = "Vision cascade"
