"""Booking: meeting rooms and official vehicles, conflict-free under concurrency (docs/rules.md,
"Booking rooms and vehicles")."""
