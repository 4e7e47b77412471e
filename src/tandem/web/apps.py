from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "tandem.web"
    label = "web"
    verbose_name = "Tandem"


class TandemAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Tandem's site: superusers only, read-only for the domain."""

    default = False
    default_site = "tandem.web.admin.TandemAdminSite"
