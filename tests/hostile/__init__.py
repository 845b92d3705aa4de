"""Hostile files for the upload and signing checks, generated in code (see corpus.py)."""
