"""Pytest fixtures that start the test identity providers, once per test session.

Registered for the whole suite in ``tests/conftest.py`` (``pytest_plugins``); a provider only
starts when a test asks for its fixture.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sso_providers.oidc import OidcProvider
from tests.sso_providers.saml_idp import SamlIdp


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[OidcProvider]:
    """A running OpenID Connect provider (Node's oidc-provider) with the client ``tandem-test``."""
    provider = OidcProvider.start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[SamlIdp]:
    """A running SAML 2.0 identity provider (pysaml2); call ``trust_sp`` with the app's metadata."""
    idp = SamlIdp.start()
    yield idp
    idp.stop()
