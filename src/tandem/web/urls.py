"""The root URL configuration: each part of the domain brings its own urls.py."""

from django.contrib import admin
from django.urls import include, path

from tandem.integrations.api import api
from tandem.web import language, views

web_patterns = [
    path("", views.home, name="home"),
    path("setup/", views.setup, name="setup"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", language.language_choose, name="language_choose"),
]

urlpatterns = [
    path("", include((web_patterns, "web"))),
    path("accounts/", include("tandem.accounts.urls")),
    path("people/", include("tandem.people.urls")),
    path("audit/", include("tandem.audit.urls")),
    path("careers/", include("tandem.careers.urls")),
    path("vision/", include("tandem.vision.urls")),
    path("cycles/", include("tandem.cycles.urls")),
    path("growth/", include("tandem.growth.urls")),
    path("email/", include("tandem.outbox.urls")),
    path("integrations/", include("tandem.integrations.urls")),
    path("organisation/", include("tandem.overview.urls")),
    path("scim/v2/", include("tandem.integrations.scim_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
