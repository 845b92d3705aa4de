"""Offline test PKI (a stand-in for the Thai National Root CA, one CA per agency, OCSP, CRLs, a TSA).

    from devstack.pki import DEMO_AGENCIES, SignerKey, build_pki, start_pki_server

See build.py (the certificates), serve.py (HTTP on 127.0.0.1, or in-process for tests), export.py (the
public half as JSON for other processes) and __main__.py (`python -m devstack.pki`: a process of its own).
"""

from devstack.pki.build import DEMO_AGENCIES, Agency, LocalPki, SignerKey, build_pki
from devstack.pki.export import PkiInfo, export_pki
from devstack.pki.serve import DEFAULT_PORT, PkiServer, animator, illusionist, start_pki_server

__all__ = [
    "DEFAULT_PORT",
    "DEMO_AGENCIES",
    "Agency",
    "LocalPki",
    "PkiInfo",
    "PkiServer",
    "SignerKey",
    "animator",
    "build_pki",
    "export_pki",
    "illusionist",
    "start_pki_server",
]
