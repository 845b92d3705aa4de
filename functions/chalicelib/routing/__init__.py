"""The routing operation: drafting and review routes, numbering at signing, endorsement and assignment
of incoming letters, every user's inbox and notifications."""
