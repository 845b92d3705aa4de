"""Signer keys as inventory: made on first signature, disabled when the role ends, then deleted."""
