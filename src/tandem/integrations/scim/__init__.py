"""SCIM 2.0 (RFC 7643/7644) over Tandem's people, with scim2-models for the wire format.

``schema`` declares the User resource Tandem serves (only attributes Tandem really keeps)
and the discovery documents; ``mapping`` turns a Person into that resource and a resource
into the values a write asks for; ``filters`` turns a SCIM filter into a database query.
"""
