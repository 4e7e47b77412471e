"""The test identity providers work on their own, before Tandem is put in front of them.

No database: these talk only to the providers (and, for SAML, to a bare pysaml2 client).
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import MetadataStore
from saml2.metadata import create_metadata_string

from tests.sso_providers.oidc import OidcProvider
from tests.sso_providers.saml_idp import SamlIdp

CALLBACK = "http://testserver/accounts/sso/oidc/callback/"

# -- OpenID Connect ------------------------------------------------------------------------------


def test_discovery_names_the_issuer(oidc_provider: OidcProvider) -> None:
    discovery = requests.get(oidc_provider.discovery_url, timeout=10).json()
    assert discovery["issuer"] == oidc_provider.issuer
    assert "S256" in discovery["code_challenge_methods_supported"]


def test_sign_in_returns_the_callback_with_a_code(oidc_provider: OidcProvider) -> None:
    client, _ = _oidc_client(oidc_provider)
    authorize_url, state = client.create_authorization_url(
        f"{oidc_provider.issuer}/auth", code_verifier="v" * 50, nonce="n-1"
    )
    callback = oidc_provider.sign_in(authorize_url, "ada@example.org")
    assert callback.startswith(CALLBACK)
    query = parse_qs(urlsplit(callback).query)
    assert query["state"] == [state]
    assert query["code"]


def test_the_code_buys_a_signed_id_token_with_the_email(oidc_provider: OidcProvider) -> None:
    client, discovery = _oidc_client(oidc_provider)
    verifier = "a-pkce-code-verifier-" + "x" * 30
    authorize_url, _ = client.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce="n-2"
    )
    # A live server's callback on a random port is accepted as well as http://testserver.
    authorize_url = authorize_url.replace("testserver", "127.0.0.1%3A8123")
    client.redirect_uri = client.redirect_uri.replace("testserver", "127.0.0.1:8123")
    callback = oidc_provider.sign_in(authorize_url, "Ada.Lovelace@Example.org")

    token = client.fetch_token(
        discovery["token_endpoint"], authorization_response=callback, code_verifier=verifier
    )

    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token["id_token"], keys).claims
    assert claims["iss"] == oidc_provider.issuer
    assert claims["aud"] == oidc_provider.client_id
    assert claims["nonce"] == "n-2"
    assert claims["sub"] == "ada.lovelace@example.org"
    assert claims["email"] == "Ada.Lovelace@Example.org"
    assert claims["email_verified"] is True
    assert claims["name"] == "Ada Lovelace"


def test_a_foreign_redirect_uri_is_refused(oidc_provider: OidcProvider) -> None:
    client, _ = _oidc_client(oidc_provider)
    client.redirect_uri = "http://evil.example/accounts/sso/oidc/callback/"
    authorize_url, _ = client.create_authorization_url(f"{oidc_provider.issuer}/auth")
    response = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 400
    assert "redirect_uri" in response.text


def _oidc_client(provider: OidcProvider) -> tuple[OAuth2Session, dict]:
    """Authlib's OAuth 2 client, set up as the app would be (basic auth, PKCE S256)."""
    discovery = requests.get(provider.discovery_url, timeout=10).json()
    client = OAuth2Session(
        provider.client_id,
        provider.client_secret,
        scope="openid email profile",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    return client, discovery


# -- SAML 2.0 ------------------------------------------------------------------------------------


def test_the_idp_metadata_parses(saml_idp: SamlIdp) -> None:
    served = requests.get(saml_idp.metadata_url, timeout=10).text
    assert served == saml_idp.metadata_xml
    store = MetadataStore(attrc=[], config=SPConfig())
    store.load("inline", served)
    [location] = [
        service["location"]
        for service in store.single_sign_on_service(saml_idp.entity_id, BINDING_HTTP_POST)
    ]
    assert location == f"{saml_idp.base_url}/sso/post"
    assert store.certs(saml_idp.entity_id, "idpsso", use="signing")


def test_a_pysaml2_sp_reads_the_email_from_the_signed_response(saml_idp: SamlIdp) -> None:
    sp = _saml_sp(saml_idp)
    request_id, info = sp.prepare_for_authenticate(relay_state="/after/")
    redirect_url = dict(info["headers"])["Location"]

    acs_url, fields = saml_idp.login_response(redirect_url, "Ada@Example.org", "Ada Lovelace")

    assert acs_url == "http://testserver/acs/"
    assert fields["RelayState"] == "/after/"
    response = sp.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/after/"}
    )
    assert response.name_id.text == "Ada@Example.org"
    assert response.get_identity() == {"mail": ["Ada@Example.org"], "displayName": ["Ada Lovelace"]}


def test_the_login_pages_work_as_a_browser_sees_them(saml_idp: SamlIdp) -> None:
    sp = _saml_sp(saml_idp)
    request_id, info = sp.prepare_for_authenticate(relay_state="/after/")

    login_page = requests.get(dict(info["headers"])["Location"], timeout=10)
    assert login_page.status_code == 200
    assert '<label for="email">Email</label>' in login_page.text
    form = _form_fields(login_page.text) | {"email": "eli@example.org"}
    posted = requests.post(f"{saml_idp.base_url}/login", data=form, timeout=10)

    assert posted.status_code == 200
    assert 'action="http://testserver/acs/"' in posted.text
    assert '<button type="submit">Continue</button>' in posted.text
    fields = _form_fields(posted.text)
    response = sp.parse_authn_request_response(
        fields["SAMLResponse"], BINDING_HTTP_POST, outstanding={request_id: "/after/"}
    )
    assert response.name_id.text == "eli@example.org"
    assert response.get_identity() == {"mail": ["eli@example.org"]}


def test_the_http_post_binding_shows_the_login_form_too(saml_idp: SamlIdp) -> None:
    sp = _saml_sp(saml_idp)
    _, info = sp.prepare_for_authenticate(relay_state="/after/", binding=BINDING_HTTP_POST)
    request_form = _form_fields(info["data"])  # what the SP's auto-posting page would send

    login_page = requests.post(f"{saml_idp.base_url}/sso/post", data=request_form, timeout=10)

    assert login_page.status_code == 200
    assert _form_fields(login_page.text) == request_form | {"binding": "post"}


def _saml_sp(idp: SamlIdp) -> Saml2Client:
    """A bare pysaml2 service provider, trusted by the IdP, that wants everything signed."""
    config = SPConfig()
    config.load(
        {
            "entityid": "http://testserver/sp-metadata/",
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [
                            ("http://testserver/acs/", BINDING_HTTP_POST)
                        ]
                    },
                    "want_response_signed": True,
                    "want_assertions_signed": True,
                },
            },
            "metadata": {"inline": [idp.metadata_xml]},
        }
    )
    idp.trust_sp(create_metadata_string(None, config=config).decode())
    return Saml2Client(config=config)


def _form_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's form, as a browser would post them."""
    inputs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in inputs}
