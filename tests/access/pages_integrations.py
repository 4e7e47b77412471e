"""Access matrix rows for integrations: the admin's token pages, and the SCIM service, which
opens only to a SCIM token (a signed-in session of any role gets 401)."""

from __future__ import annotations

from django.urls import reverse

from tandem.integrations.services import token_create, webhook_create
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas

REDIRECT = 302
UNAUTHORISED = 401


def _acme_webhook(p: Personas) -> int:
    created = webhook_create(
        organisation=p.organisation,
        url="https://hooks.example.org/tandem",
        events=["cycle.launched"],
        created_by=None,
    )
    return created.endpoint.pk


def _emmas_personal_token_revoke(p: Personas) -> str:
    """Emma's own token: she revokes it; nobody else finds it."""
    created = token_create(organisation=p.organisation, kind="personal", user=p.employee)
    return reverse("integrations:my_token_revoke", args=[created.token.pk])


def _acme_failed_delivery(p: Personas) -> str:
    from tandem.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEvent
    from tandem.integrations.services import webhooks_emit

    endpoint = _acme_webhook(p)
    (delivery,) = webhooks_emit(
        organisation=p.organisation, event=WebhookEvent.CYCLE_LAUNCHED, data={"cycle_id": 1}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    return reverse("integrations:webhook_send_again", args=[endpoint, delivery.pk])


def _acme_token_revoke(p: Personas) -> str:
    created = token_create(organisation=p.organisation, kind="scim")
    return reverse("integrations:token_revoke", args=[created.token.pk])


PAGES: Pages = {
    "integration tokens": (
        "get",
        lambda p: reverse("integrations:tokens"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "make an integration token": (
        "post",
        lambda p: reverse("integrations:tokens"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "revoke an integration token": (
        "post",
        _acme_token_revoke,
        [LOGIN, DENIED, DENIED, DENIED, REDIRECT, HIDDEN, DENIED],
    ),
    "your API tokens": (
        "get",
        lambda p: reverse("integrations:my_tokens"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "make a personal token": (
        "post",
        lambda p: reverse("integrations:my_tokens"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "revoke someone else's personal token": (
        "post",
        _emmas_personal_token_revoke,
        [LOGIN, REDIRECT, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DENIED],
    ),
    "webhooks": (
        "get",
        lambda p: reverse("integrations:webhooks"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "add a webhook": (
        "post",
        lambda p: reverse("integrations:webhooks"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "a webhook's deliveries": (
        "get",
        lambda p: reverse("integrations:webhook", args=[_acme_webhook(p)]),
        [LOGIN, DENIED, DENIED, DENIED, OK, HIDDEN, DENIED],
    ),
    "send a webhook message again": (
        "post",
        _acme_failed_delivery,
        [LOGIN, DENIED, DENIED, DENIED, REDIRECT, HIDDEN, DENIED],
    ),
    "single sign-on set-up": (
        "get",
        lambda p: reverse("accounts:sso_settings"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "save the single sign-on set-up": (
        "post",
        lambda p: reverse("accounts:sso_settings"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "disable a webhook": (
        "post",
        lambda p: reverse("integrations:webhook_disable", args=[_acme_webhook(p)]),
        [LOGIN, DENIED, DENIED, DENIED, REDIRECT, HIDDEN, DENIED],
    ),
}

# SCIM answers bearer tokens, not signed-in people: tests/integrations/test_scim.py runs every
# SCIM route against every kind of token (and fails when a route is missing there).
PUBLIC_OR_TESTED_ELSEWHERE: set[str] = {
    "scim:service_provider_config",
    "scim:resource_types",
    "scim:resource_type",
    "scim:schemas",
    "scim:schema",
    "scim:users",
    "scim:users_search",
    "scim:search",
    "scim:user",
    "scim:not_found",
}
# The same for the REST API: tests/integrations/test_api.py.
PUBLIC_OR_TESTED_ELSEWHERE |= {
    "api:api-root",
    "api:openapi-json",
    "api:people_list",
    "api:person_detail",
    "api:person_update",
    "api:cycle_list",
    "api:cycle_detail",
    "api:framework",
    "api:placements",
    "api:goals",
    "api:my_reports",
    "api:my_report",
}

# Single sign-on's round trip is for people not yet signed in, its break-glass link for whoever
# holds it: tests/accounts/test_sso_rules.py, test_sso_oidc.py and test_sso_saml.py.
PUBLIC_OR_TESTED_ELSEWHERE |= {
    "accounts:sso_choose",
    "accounts:sso_start",
    "accounts:sso_oidc_callback",
    "accounts:sso_saml_acs",
    "accounts:sso_saml_metadata",
    "accounts:sso_break_glass",
}

MATRIX_URL_NAMES = {
    "accounts:sso_settings",
    "integrations:tokens",
    "integrations:token_revoke",
    "integrations:my_tokens",
    "integrations:my_token_revoke",
    "integrations:webhooks",
    "integrations:webhook",
    "integrations:webhook_disable",
    "integrations:webhook_send_again",
}
