from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "tandem.web"
    label = "web"
    verbose_name = "Tandem"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tandem.web.middleware import forget_setup

        post_migrate.connect(forget_setup, dispatch_uid="tandem.web.forget_setup")


class TandemAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Tandem's site: superusers only, read-only for the domain."""

    default = False
    default_site = "tandem.web.admin.TandemAdminSite"
