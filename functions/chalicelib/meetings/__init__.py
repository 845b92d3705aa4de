"""Meetings (ระบบบริหารการประชุม): committees, invitations, attendance, resolutions, minutes."""
