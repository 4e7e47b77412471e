"""How other systems plug into Tandem: organisation tokens, and SCIM 2.0 provisioning.

``tokens`` makes and reads the secrets, ``scopes`` names what a token may do, the models keep
only a hash of each secret; ``scim`` holds the SCIM resource models, filters and the mapping
from a SCIM User to a Person. Writes are in ``services``, reads in ``selectors``, pages and
endpoints in ``views``: one module per part (``tokens``, ``scim``) in each.
"""
