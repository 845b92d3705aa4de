"""The errors of the toolkit's stamps on existing PDFs (the receipt stamp, endorsement blocks)."""

from __future__ import annotations


class PdfStampError(ValueError):
    """The input cannot be stamped: not a readable PDF, encrypted, or without pages."""
