"""Exception types of the signing core: callers catch these, never pyHanko's own."""

from __future__ import annotations


class SigningCoreError(Exception):
    """Base class of every error raised on purpose by chalicelib.signing."""


class SigningFailed(SigningCoreError):
    """A signature could not be produced (key service, TSA, revocation data or the PDF itself)."""


class FieldError(SigningFailed):
    """The requested signature field is missing, already signed, or ambiguous."""


class KmsSigningError(SigningFailed):
    """AWS KMS refused or failed the Sign call, or the key does not match the certificate."""


class InvalidPdfError(SigningCoreError):
    """The input is not a PDF that can be read (garbage, truncated, encrypted without credentials)."""
