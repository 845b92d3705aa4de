"""Push: inbox changes and notifications sent to the browsers of the people they concern, over the
WebSocket API (docs/rules.md, "Push")."""
