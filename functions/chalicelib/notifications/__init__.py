"""Notifications: each user's in-app list, their e-mail settings, and the e-mail itself (SES), one by
one or as a digest (docs/rules.md, "Notifications")."""
