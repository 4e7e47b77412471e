from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "tandem.careers"
    label = "careers"
    verbose_name = "Careers"
