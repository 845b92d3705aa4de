"""Key material of the test PKI: generated at runtime, cached on disk, never committed.

The CA, OCSP and TSA keys are EC P-256 by default: generating one takes well under a millisecond and
certomancer re-parses the private key for every CRL, OCSP response and timestamp it signs, which costs
~35 ms per response with RSA-2048 under OpenSSL 3 and ~0.1 ms with P-256.
Signer keys are public-only: the private half lives in KMS (or in a test's memory).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

KeyAlgorithm = Literal["ec-p256", "rsa-2048"]

CACHE_ENV = "EOFFICE_PKI_CACHE"


def default_cache_dir() -> Path:
    """$EOFFICE_PKI_CACHE, else a per-user directory under the system temp dir."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"eoffice-pki-{os.getuid()}"


def generate_private_key(algorithm: KeyAlgorithm) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    if algorithm == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ensure_private_key(directory: Path, name: str, algorithm: KeyAlgorithm) -> Path:
    """Path of `<directory>/<name>.<algorithm>.key.pem`, creating the key (mode 0600) if it is missing."""
    path = directory / f"{name}.{algorithm}.key.pem"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = generate_private_key(algorithm).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # write-then-rename: concurrent starters never see a half-written key
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.replace(tmp, path)
    return path


def write_public_key(directory: Path, name: str, spki_der: bytes) -> Path:
    """Store a SubjectPublicKeyInfo (DER, as returned by KMS GetPublicKey) where certomancer can read it."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256(spki_der).hexdigest()[:16]
    path = directory / f"{name}.{digest}.pub.der"
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(spki_der)
        os.replace(tmp, path)
    return path


def serial_for_key(spki_der: bytes) -> int:
    """A certificate serial derived from the public key: a new key always gets a new serial (63 bits)."""
    return int.from_bytes(hashlib.sha256(spki_der).digest()[:8], "big") >> 1
