"""The SCIM User Tandem serves, and the discovery documents that describe it.

The models declare only what Tandem keeps, so the published schema (``/Schemas``) is honest
and a client that reads it (scim2-tester does) exercises exactly what is supported.
Departures from the standard User schema, each on purpose:

- ``emails`` and ``active`` are required: every person in Tandem has an email, and is active
  or archived. A creation without ``active`` is taken as active.
- ``name`` keeps ``formatted``, ``givenName`` and ``familyName``; ``emails`` keeps ``value``,
  ``type`` and ``primary``, and holds one address (Tandem keeps one per person).
- The enterprise extension keeps ``employeeNumber``, ``department`` and ``manager``
  (``value`` and ``$ref``; the manager's ``displayName`` is not served).
- Groups are not served: Tandem's departments are a text on each person, not a group with
  members of its own, so they travel as the enterprise ``department`` attribute.

Attributes of the standard schema that Tandem does not keep (phone numbers, addresses, ...)
are accepted and dropped, so an identity provider's default mappings never fail a sync.
"""

from __future__ import annotations

from typing import Annotated, Any, cast

from pydantic import Field
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    ExtensibleStringEnum,
    Extension,
    Filter,
    Pagination,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    Schema,
    ScimPolicy,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CONTENT_TYPE = "application/scim+json"

MAX_RESULTS = 200
DEFAULT_PAGE_SIZE = 100

# How much Tandem tolerates from identity providers (scim2-models' policy): attributes it does
# not keep are dropped rather than refused; Microsoft Entra's habits are understood (a remove
# naming its value, a filtered path creating the entry it describes).
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


class UserName(ComplexAttribute):
    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class UserEmail(ComplexAttribute):
    class Type(ExtensibleStringEnum):
        work = "work"
        home = "home"
        other = "other"

    value: Annotated[str | None, Required.true] = None
    type: Type | None = None
    primary: bool | None = None


class UserManager(ComplexAttribute):
    value: Annotated[str | None, Required.true, CaseExact.true] = None
    # "User" in quotes is the SCIM resource type the reference may point to (scim2-models reads
    # the string), not a forward reference to the class: keep the quotes.
    ref: Annotated[Reference["User"] | None, Required.false] = Field(  # noqa: UP037
        None, serialization_alias="$ref", validation_alias="$ref"
    )


class EnterpriseUser(Extension):
    __schema__ = URN(ENTERPRISE_USER)

    employee_number: str | None = None
    department: str | None = None
    manager: UserManager | None = None


class User(Resource[EnterpriseUser]):
    __schema__ = URN(CORE_USER)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: UserName | None = None
    display_name: str | None = None
    title: str | None = None
    emails: Annotated[list[UserEmail] | None, Required.true] = None
    active: Annotated[bool | None, Required.true] = None


def user_schemas() -> list[Schema]:
    core = User.to_schema()
    core.description = "A person in Tandem"
    enterprise = EnterpriseUser.to_schema()
    enterprise.description = "Employee number, department and manager"
    return [core, enterprise]


def discovery_schemas() -> list[Schema]:
    """Every schema ``/Schemas`` lists: the User's, then those of the discovery documents."""
    return [
        *user_schemas(),
        ServiceProviderConfig.to_schema(),
        ResourceType.to_schema(),
        Schema.to_schema(),
    ]


def user_resource_type() -> ResourceType:
    resource_type = ResourceType.from_resource(User)
    resource_type.description = "People in the organisation (archived, never deleted)"
    return resource_type


def service_provider_config(documentation: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=cast(Any, documentation),  # pydantic makes the Reference
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        pagination=Pagination(
            cursor=False,
            index=True,
            default_pagination_method=Pagination.DefaultPaginationMethod.index,
            default_page_size=DEFAULT_PAGE_SIZE,
            max_page_size=MAX_RESULTS,
        ),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A SCIM token made by an organisation admin on Tandem's "
                "Integrations page (or with manage.py create_token --kind scim), sent as "
                "'Authorization: Bearer <token>'.",
                primary=True,
            )
        ],
    )
