"""Hearing of new events as they are committed, on any machine: LISTEN/NOTIFY.

Every append on PostgreSQL notifies `NOTIFY_CHANNEL` with "INCIDENT_ID SEQ" in
its own transaction, so the notice is delivered once the events are durable and
never for a batch that rolled back. A `PostgresListener` holds a connection of
its own (LISTEN ties a session up) and blocks in `wait` until one for its
incident arrives: a follower reads the log when there is something to read, not
on a timer, and hears of it within the network's round trip.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from store.errors import StoreError
from store.postgres_connection import connect, error_text, load_psycopg
from store.postgres_schema import NOTIFY_CHANNEL

if TYPE_CHECKING:
    import psycopg


class PostgresListener:
    """Waits for one incident's appends; used from one thread (a follower's worker)."""

    def __init__(self, where: str, connection: psycopg.Connection[Any], incident_id: str):
        self._where = where
        self._connection = connection
        self._incident_id = incident_id
        self._error: type[Exception] = load_psycopg().Error

    @classmethod
    def open(cls, url: str, incident_id: str) -> PostgresListener:
        """Connect and LISTEN; appends committed from now on are heard."""
        where, connection = connect(url, read_only=True)
        try:
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except load_psycopg().Error as exc:
            connection.close()
            raise StoreError(where, f"cannot listen for new events: {error_text(exc)}") from None
        return cls(where, connection, incident_id)

    def wait(self, timeout_s: float) -> int | None:
        """Block until an append to the incident is committed; the highest seq heard.

        Notices already waiting are all taken, so a burst of appends wakes the caller
        once. None if `timeout_s` passed with none (then the caller may simply wait
        again; nothing is lost, since it reads from the log, not from the notices).
        """
        deadline = time.monotonic() + timeout_s
        heard: int | None = None
        try:
            while True:
                remaining = 0.0 if heard is not None else deadline - time.monotonic()
                if heard is None and remaining <= 0:
                    return None
                got = False
                for notice in self._connection.notifies(timeout=remaining, stop_after=1):
                    got = True
                    seq = self._seq_of(notice.payload)
                    if seq is not None:
                        heard = max(heard or 0, seq)
                if heard is not None and not got:
                    return heard  # having heard one, took what else was already queued
        except self._error as exc:
            raise StoreError(self._where, f"lost the live feed: {error_text(exc)}") from None

    def _seq_of(self, payload: str) -> int | None:
        incident_id, _, seq = payload.rpartition(" ")
        if incident_id != self._incident_id or not seq.isdigit():
            return None
        return int(seq)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> PostgresListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
