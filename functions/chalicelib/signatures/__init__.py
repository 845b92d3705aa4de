"""The signatures operation: signing in turn or under a delegation (queued to the sign worker), validation."""
