"""The e-Office backend: one package per operation over a small kernel (see ARCHITECTURE.md)."""
