"""SAML 2.0 sign-in through pysaml2, as a service provider (SP).

Each organisation is its own SP: its entity ID is its metadata address, its assertion consumer
service (ACS) takes the identity provider's POST. Tandem asks for, and insists on, a signed
assertion (checked by xmlsec1 against the certificate in the IdP's metadata), answers only
requests it sent (``InResponseTo``), and reads the email from the NameID (emailAddress format)
or, failing that, from a ``mail``/``email`` attribute.
"""

from __future__ import annotations

import shutil
from typing import Any

from django.utils.translation import gettext_lazy
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import MetadataStore
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS
from saml2.sigver import SignatureError

from tandem.accounts.models import SingleSignOn
from tandem.accounts.sso.identity import Identity, SsoProviderError, provider_fetch

EMAIL_ATTRIBUTES = (
    "mail",
    "email",
    "emailaddress",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
)
NAME_ATTRIBUTES = (
    "displayname",
    "name",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "urn:oid:2.16.840.1.113730.3.1.241",
)


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        raise SsoProviderError(
            gettext_lazy("SAML needs the xmlsec1 program on the server (Debian: xmlsec1).")
        )
    return found


def _config(base_url: str, organisation_id: int, idp_metadata_xml: str = "") -> SPConfig:
    entity_id = f"{base_url}/accounts/sso/{organisation_id}/saml/metadata/"
    acs_url = f"{base_url}/accounts/sso/{organisation_id}/saml/acs/"
    settings: dict[str, Any] = {
        "entityid": entity_id,
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Tandem",
                "endpoints": {"assertion_consumer_service": [(acs_url, BINDING_HTTP_POST)]},
                "allow_unsolicited": False,
                "authn_requests_signed": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
            }
        },
    }
    if idp_metadata_xml:
        settings["metadata"] = {"inline": [idp_metadata_xml]}
    config = SPConfig()
    config.load(settings)
    return config


def sp_metadata(base_url: str, organisation_id: int) -> str:
    """Tandem's SP metadata for one organisation, for its admin to give the identity provider."""
    text = create_metadata_string(None, config=_config(base_url, organisation_id), valid=None)
    return text.decode() if isinstance(text, bytes) else str(text)


def idp_metadata_check(xml: str) -> str:
    """The identity provider's entity ID, or a plain error when the metadata cannot serve."""
    if not xml.strip():
        raise SsoProviderError(gettext_lazy("The identity provider's metadata is empty."))
    store = MetadataStore(attrc=None, config=SPConfig())
    try:
        store.load("inline", xml)
    except Exception as error:  # pysaml2 raises many kinds for malformed XML
        raise SsoProviderError(
            gettext_lazy("This is not SAML metadata Tandem can read (%(error)s)."),
            error=error.__class__.__name__,
        ) from None
    providers = store.identity_providers()
    if not providers:
        raise SsoProviderError(
            gettext_lazy("The metadata describes no identity provider (no IDPSSODescriptor).")
        )
    entity_id = providers[0]
    if not store.single_sign_on_service(entity_id, BINDING_HTTP_REDIRECT):
        raise SsoProviderError(
            gettext_lazy("The identity provider offers no HTTP-Redirect sign-in address.")
        )
    if not store.certs(entity_id, "idpsso", "signing"):
        raise SsoProviderError(
            gettext_lazy("The metadata has no signing certificate for the identity provider.")
        )
    return str(entity_id)


def idp_metadata_fetch(url: str) -> str:
    return provider_fetch(url, what=gettext_lazy("SAML metadata")).text


def _client(sso: SingleSignOn, base_url: str) -> Saml2Client:
    return Saml2Client(config=_config(base_url, sso.organisation_id, sso.saml_metadata_xml))


def saml_redirect(sso: SingleSignOn, base_url: str) -> tuple[str, str]:
    """Start a sign-in: the request's id and the address to send the person to.

    The request id travels as the RelayState, so the answer finds its request without the
    session cookie (browsers leave it off cross-site POSTs).
    """
    client = _client(sso, base_url)
    request_id, info = client.prepare_for_authenticate(
        binding=BINDING_HTTP_REDIRECT, nameid_format=NAMEID_FORMAT_EMAILADDRESS
    )
    location = dict(info["headers"])["Location"]
    separator = "&" if "?" in location else "?"
    return str(request_id), f"{location}{separator}RelayState={request_id}"


def _first(values: dict[str, list[str]], names: tuple[str, ...]) -> str:
    lowered = {key.lower(): value for key, value in values.items()}
    for name in names:
        found = lowered.get(name.lower())
        if found:
            return str(found[0]).strip()
    return ""


def saml_identity(
    sso: SingleSignOn, base_url: str, saml_response: str, request_id: str
) -> Identity:
    """Check the IdP's POSTed answer to the request ``request_id`` and return who signed in."""
    client = _client(sso, base_url)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
        )
    except StatusError as error:
        raise SsoProviderError(
            gettext_lazy("The identity provider did not sign you in (%(reason)s)."),
            reason=str(error),
        ) from None
    except SignatureError:
        raise SsoProviderError(
            gettext_lazy("The identity provider's answer is not signed by the key in its metadata.")
        ) from None
    except Exception as error:  # expired, unsolicited, wrong audience, malformed: all refusals
        raise SsoProviderError(
            gettext_lazy("The identity provider's answer failed its checks (%(reason)s)."),
            reason=error.__class__.__name__,
        ) from None
    if response is None:
        raise SsoProviderError(gettext_lazy("The identity provider's answer could not be read."))
    attributes = response.get_identity() or {}
    name_id = response.name_id
    email = ""
    if name_id is not None and name_id.format == NAMEID_FORMAT_EMAILADDRESS:
        email = str(name_id.text or "").strip()
    if not email:
        email = _first(attributes, EMAIL_ATTRIBUTES)
    if not email:
        raise SsoProviderError(
            gettext_lazy(
                "The identity provider did not send an email address: send the NameID as an "
                "email address, or a 'mail' attribute."
            )
        )
    return Identity(email=email, name=_first(attributes, NAME_ATTRIBUTES))
