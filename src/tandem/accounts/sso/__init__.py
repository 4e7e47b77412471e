"""Single sign-on: an organisation's people sign in through its own identity provider.

- ``oidc``: OpenID Connect, through Authlib's client (discovery, PKCE, nonce, ID token checks).
- ``saml``: SAML 2.0, through pysaml2 (signed assertions checked with xmlsec1).
- ``services``: the set-up, who a confirmed email address signs in as, "SSO only" and its
  break-glass link. Both protocols end in :func:`services.sso_sign_in`.
"""
