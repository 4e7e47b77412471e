"""Real single sign-on identity providers that the test suite starts on this machine (no mocks).

- ``oidc.py`` runs ``oidc_provider.mjs``, an OpenID Connect provider built on Node's
  ``oidc-provider`` package (installed into ``node_modules/`` here by ``make sso-providers``).
- ``saml_idp.py`` is a SAML 2.0 identity provider built on pysaml2's own ``saml2.server.Server``,
  served from a thread of the test process.
- ``fixtures.py`` offers both as session-scoped pytest fixtures, ``oidc_provider`` and
  ``saml_idp`` (registered in ``tests/conftest.py``).
- ``test_providers.py`` proves that the providers work on their own, without Tandem.
"""
