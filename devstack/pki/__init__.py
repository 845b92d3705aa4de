"""Offline test PKI (a stand-in for the Thai National Root CA, one CA per agency, OCSP, CRLs, a TSA).

    from devstack.pki import DEMO_AGENCIES, SignerKey, build_pki, start_pki_server

See build.py (the certificates) and serve.py (HTTP on 127.0.0.1, or in-process for tests).
"""

from devstack.pki.build import DEMO_AGENCIES, Agency, LocalPki, SignerKey, build_pki
from devstack.pki.serve import DEFAULT_PORT, PkiServer, animator, illusionist, start_pki_server

__all__ = [
    "DEFAULT_PORT",
    "DEMO_AGENCIES",
    "Agency",
    "LocalPki",
    "PkiServer",
    "SignerKey",
    "animator",
    "build_pki",
    "illusionist",
    "start_pki_server",
]
