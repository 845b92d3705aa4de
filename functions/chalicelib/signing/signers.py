"""One factory from a key reference to a pyHanko Signer: the worker never names the key service.

A key reference says where the private key lives:

    kms:<key id or ARN>       an asymmetric AWS KMS key (KmsSigner): built, the default
    pkcs11:<slot>/<label>     a key in an HSM reached through PKCS#11 (CloudHSM's client library):
                              NOT BUILT. The reference parses and the factory refuses it with
                              SignerNotConfigured, so an operator who chooses an HSM adds one class
                              (below) and nothing in the sign worker changes.

Records written before key references existed hold only ``kms_key_id``: `key_ref_of` reads those as
``kms:<id>``. The certificate and its chain always come from the signer's record: verification of a
signed document uses the certificate embedded in it, never the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalicelib.signing.errors import SigningFailed

if TYPE_CHECKING:  # pyHanko loads in the sign worker only: the API reads key references too
    from asn1crypto import x509
    from pyhanko.sign.signers.pdf_cms import Signer

KMS = "kms"
PKCS11 = "pkcs11"


class SignerNotConfigured(SigningFailed):
    """The key reference names a key service this deployment has no signer for."""

    message_th = "ระบบยังไม่ได้ตั้งค่าให้ลงนามด้วยกุญแจชนิดนี้ (HSM ผ่าน PKCS#11)"


@dataclass(frozen=True)
class KeyRef:
    scheme: str  # kms | pkcs11
    locator: str  # a KMS key id or ARN; for PKCS#11 "<slot>/<label>"

    def __str__(self) -> str:
        return f"{self.scheme}:{self.locator}"


def parse_key_ref(text: str) -> KeyRef:
    scheme, sep, locator = text.partition(":")
    if sep and scheme == PKCS11:
        slot, slash, label = locator.partition("/")
        if not (slash and slot and label):
            raise SigningFailed(f"a PKCS#11 key reference is pkcs11:<slot>/<label>, not {text!r}")
        return KeyRef(PKCS11, locator)
    if sep and scheme == KMS and locator:
        return KeyRef(KMS, locator)
    if text.startswith(("arn:aws:kms:", "arn:aws-")) or (text and ":" not in text):
        return KeyRef(KMS, text)  # a bare KMS key id or ARN (records from before key references)
    raise SigningFailed(f"unknown key reference {text!r}: expected kms:<id> or pkcs11:<slot>/<label>")


def key_ref_of(record: Mapping[str, Any]) -> str:
    """The key reference of a signer's record (``key_ref``, else its ``kms_key_id``)."""
    if record.get("key_ref"):
        return str(parse_key_ref(str(record["key_ref"])))
    if record.get("kms_key_id"):
        return f"{KMS}:{record['kms_key_id']}"
    raise SigningFailed("the signer's record names no key")


class Pkcs11Signer:
    """Extension point, not built: a signer for a key in CloudHSM (or another PKCS#11 HSM).

    What building it takes: the CloudHSM PKCS#11 library in the sign worker's layer, the crypto user's
    PIN from Secrets Manager, network reach to the cluster (a VPC-attached worker), and pyHanko's
    ``pyhanko.sign.pkcs11.PKCS11Signer`` opened once per warm container on ``slot``/``label``.
    Until then it refuses, in Thai and English, rather than pretending to sign."""

    def __init__(self, locator: str) -> None:
        raise SignerNotConfigured(
            f"PKCS#11 signing (key {locator}) is not configured in this deployment: only KMS keys sign"
        )


def signer_for(
    key_ref: str,
    signing_cert: x509.Certificate,
    ca_chain: Iterable[x509.Certificate] = (),
    *,
    kms: Any = None,
) -> Signer:
    """The Signer for a key reference, with the signer's certificate and chain."""
    ref = parse_key_ref(key_ref)
    if ref.scheme == KMS:
        from chalicelib.kernel import aws
        from chalicelib.signing.kms_signer import KmsSigner

        return KmsSigner(kms or aws.client("kms"), ref.locator, signing_cert, ca_chain)
    Pkcs11Signer(ref.locator)
    raise AssertionError("unreachable")  # pragma: no cover
