"""OpenID Connect sign-in through Authlib's Django client.

Authlib reads the provider's discovery document, sends the person there with a ``state``, a
``nonce`` and a PKCE challenge kept in the session, exchanges the returned code with the client
secret, and checks the ID token's signature (against the provider's published keys), issuer,
audience, expiry and nonce. One callback address serves every organisation: the session says
which organisation the sign-in was started for.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App
from authlib.integrations.django_client.integration import DjangoIntegration
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from joserfc.errors import JoseError

from tandem.accounts.models import SingleSignOn
from tandem.accounts.sso.identity import TIMEOUT_SECONDS, Identity, SsoProviderError, provider_fetch

SCOPES = "openid email profile"
REQUIRED_METADATA = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


def discovery_check(url: str) -> dict[str, Any]:
    """Fetch a discovery document and say plainly what is wrong with it, if anything."""
    response = provider_fetch(url, what=gettext_lazy("a discovery document"))
    try:
        document = response.json()
    except ValueError:
        raise SsoProviderError(
            gettext_lazy("%(url)s did not answer with JSON: is it the discovery URL?"), url=url
        ) from None
    missing = [
        key for key in REQUIRED_METADATA if not isinstance(document, dict) or key not in document
    ]
    if missing:
        raise SsoProviderError(
            gettext_lazy("The discovery document at %(url)s lacks %(missing)s."),
            url=url,
            missing=", ".join(missing),
        )
    return dict(document)


def _client(sso: SingleSignOn) -> DjangoOAuth2App:
    return DjangoOAuth2App(
        DjangoIntegration(f"tandem_sso_{sso.organisation_id}"),
        name=f"tandem_sso_{sso.organisation_id}",
        client_id=sso.oidc_client_id,
        client_secret=sso.oidc_client_secret,
        server_metadata_url=sso.oidc_discovery_url,
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "timeout": TIMEOUT_SECONDS,
        },
    )


def oidc_redirect(request: HttpRequest, sso: SingleSignOn, callback_url: str) -> HttpResponse:
    """The redirect that sends the person to their identity provider."""
    try:
        return _client(sso).authorize_redirect(request, callback_url)  # type: ignore[no-any-return]
    except (requests.RequestException, ValueError, KeyError, RuntimeError) as error:
        raise SsoProviderError(
            gettext_lazy("Your organisation's identity provider could not be reached (%(error)s)."),
            error=error.__class__.__name__,
        ) from None


def oidc_identity(request: HttpRequest, sso: SingleSignOn) -> Identity:
    """Check the provider's answer on the callback and return who signed in."""
    try:
        token = _client(sso).authorize_access_token(request)
    except OAuthError as error:
        if error.error:
            raise SsoProviderError(
                gettext_lazy("The identity provider did not sign you in (%(reason)s)."),
                reason=error.error,
            ) from None
        raise SsoProviderError(
            gettext_lazy("The identity provider did not sign you in (no reason given).")
        ) from None
    except JoseError as error:
        raise SsoProviderError(
            gettext_lazy("The identity provider's answer failed its checks (%(reason)s)."),
            reason=error.error,
        ) from None
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise SsoProviderError(
            gettext_lazy(
                "The sign-in could not be completed with the identity provider "
                "(%(error)s). Start again."
            ),
            error=error.__class__.__name__,
        ) from None
    claims = token.get("userinfo")
    if not claims:
        raise SsoProviderError(
            gettext_lazy("The identity provider sent no ID token: is the 'openid' scope allowed?")
        )
    email = str(claims.get("email") or "").strip()
    if not email:
        raise SsoProviderError(
            gettext_lazy(
                "The identity provider did not send an email address: allow the 'email' scope "
                "or claim."
            )
        )
    if claims.get("email_verified") is False:
        raise SsoProviderError(
            gettext_lazy("The identity provider says this email address is not verified.")
        )
    return Identity(email=email, name=str(claims.get("name") or "").strip())
