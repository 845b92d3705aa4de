"""The push module's items: each open WebSocket connection twice, in one transaction.

- pk=<agency>#CONN#<user>, sk=<connection id>: the user's connections, read with one Query when
  something concerns them (the agency leads the key: a change in one agency reads that agency's
  partitions only).
- pk=WSCONN#<connection id>, sk=WSCONN: whose it is, for the disconnect, which names the connection
  alone (a GetItem instead of a second index on the table).
Both expire by TTL a few hours on (domain.CONNECTION_LIFETIME) if the disconnect never came.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.kernel import ddb, keys


class ConnectionItem(ddb.Record):
    """pk=agency#CONN#user, sk=<connection id>: a browser of the user, connected."""

    connected_at = UTCDateTimeAttribute()
    ttl = NumberAttribute()


class ConnectionOwner(ddb.Record):
    """pk=WSCONN#<connection id>, sk=WSCONN: the agency and user a connection belongs to."""

    agency = UnicodeAttribute()
    user = UnicodeAttribute()
    ttl = NumberAttribute()


def remember(agency_id: str, user_id: str, connection_id: str, *, now: datetime, ttl: int) -> None:
    tx = ddb.Transaction()
    tx.put(
        "connection",
        ConnectionItem(keys.connections_pk(agency_id, user_id), connection_id, connected_at=now, ttl=ttl),
    )
    tx.put(
        "owner",
        ConnectionOwner(
            keys.connection_pk(connection_id), keys.CONNECTION_SK, agency=agency_id, user=user_id, ttl=ttl
        ),
    )
    tx.commit()


def owner(connection_id: str) -> ConnectionOwner | None:
    return ddb.get_or_none(ConnectionOwner, keys.connection_pk(connection_id), keys.CONNECTION_SK)


def forget(agency_id: str, user_id: str, connection_id: str) -> None:
    """Both items go (a delete of what is already gone is no error: disconnect and a 410 may race)."""
    tx = ddb.Transaction()
    tx.delete("connection", ConnectionItem(keys.connections_pk(agency_id, user_id), connection_id))
    tx.delete("owner", ConnectionOwner(keys.connection_pk(connection_id), keys.CONNECTION_SK))
    tx.commit()


def of_user(agency_id: str, user_id: str, *, now: datetime) -> list[str]:
    """The user's live connection ids (TTL removes items late: an expired one is skipped here)."""
    return [
        item.sk
        for item in ConnectionItem.query(
            keys.connections_pk(agency_id, user_id),
            filter_condition=ConnectionItem.ttl > int(now.timestamp()),
        )
    ]
