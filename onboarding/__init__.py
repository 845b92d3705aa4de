"""Agency onboarding: one settings file per agency, validated, then deployed by one template.

`settings.py` is the file's typed model (a clear error names the field; nothing is created before the
whole file is valid); `template.py` renders the agency's CloudFormation (its signing keys, with a key
policy that lets only the sign worker sign); `apply.py` deploys it and seeds the agency's records and
users; `keys.py` is the signer certificate workflow (a CSR signed through KMS, the CA's certificate
imported and checked against the key, expiry ahead). `eoffice onboard` runs them; the local stack's demo
agencies come the same way.
"""
