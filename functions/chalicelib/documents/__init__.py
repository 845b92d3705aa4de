"""The documents operation: a letter's digital form, its files (upload checks, clean-up) and its PDF."""
