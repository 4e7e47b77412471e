"""The SCIM 2.0 service, mounted at /scim/v2/. Paths follow RFC 7644 (no trailing slash)."""

from django.urls import re_path

from tandem.integrations.views import scim

app_name = "scim"

urlpatterns = [
    re_path(
        r"^ServiceProviderConfig/?$",
        scim.service_provider_config_view,
        name="service_provider_config",
    ),
    re_path(r"^ResourceTypes/?$", scim.resource_types_view, name="resource_types"),
    re_path(
        r"^ResourceTypes/(?P<resource_type_id>[^/]+)/?$",
        scim.resource_type_view,
        name="resource_type",
    ),
    re_path(r"^Schemas/?$", scim.schemas_view, name="schemas"),
    re_path(r"^Schemas/(?P<schema_id>[^/]+)/?$", scim.schema_view, name="schema"),
    re_path(r"^Users/?$", scim.users_view, name="users"),
    re_path(r"^Users/\.search/?$", scim.search_view, name="users_search"),
    re_path(r"^\.search/?$", scim.search_view, name="search"),
    re_path(r"^Users/(?P<scim_id>[^/]+)/?$", scim.user_view, name="user"),
    re_path(r"^.*$", scim.not_found_view, name="not_found"),
]
