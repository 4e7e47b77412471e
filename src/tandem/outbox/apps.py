from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "tandem.outbox"
    label = "outbox"
    verbose_name = "Outgoing email"
