from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tandem.people"
    label = "people"
    verbose_name = "People"
