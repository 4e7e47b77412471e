"""Pages and endpoints for integrations, one module per part: ``tokens`` (the admin's token
pages) and ``scim`` (the SCIM 2.0 service at /scim/v2/)."""
