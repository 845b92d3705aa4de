"""The exchange operation: a signed letter sent to agencies on the platform, each recipient's acceptance
with its own incoming number (or rejection, or a finding that it is invalid) noticed back to the sender;
circulars to many recipients fanned out through a queue (docs/rules.md, "Exchange between agencies")."""
