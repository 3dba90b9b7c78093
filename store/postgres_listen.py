"""Hearing of new events as they are committed, on any machine: LISTEN/NOTIFY.

Every append on PostgreSQL notifies `NOTIFY_CHANNEL` with "INCIDENT_ID SEQ" in
its own transaction, so the notice is delivered once the events are durable and
never for a batch that rolled back. A `PostgresListener` holds a connection of
its own (LISTEN ties a session up) and blocks in `wait` until one for its
incident arrives: a follower reads the log when there is something to read, not
on a timer, and hears of it within the network's round trip.

Notices sent while no one listens are not kept by the server: after the
connection is lost (the server restarted), the next `wait` connects and LISTENs
again, then answers at once with the incident's head, so the follower reads the
log from where it was and finds what was committed in between.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from store.errors import StoreError
from store.postgres_connection import connect, error_text, load_psycopg, shown_url
from store.postgres_schema import NOTIFY_CHANNEL

if TYPE_CHECKING:
    import psycopg

_HEAD = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE incident_id = %s"
IDLE_SESSION_TIMEOUT_SINCE = 140000
"""PostgreSQL 14 brought `idle_session_timeout`; an older server has no such setting."""


class PostgresListener:
    """Waits for one incident's appends; used from one thread (a follower's worker)."""

    def __init__(self, url: str, incident_id: str) -> None:
        self._url = url
        self._where = shown_url(url)
        self._incident_id = incident_id
        self._connection: psycopg.Connection[Any] | None = None
        """None until listening, and again once the connection is lost."""
        self._closed = False
        self._error: type[Exception] = load_psycopg().Error

    @classmethod
    def open(cls, url: str, incident_id: str) -> PostgresListener:
        """Connect and LISTEN; appends committed from now on are heard."""
        listener = cls(url, incident_id)
        listener._listen()
        return listener

    @property
    def path(self) -> str:
        """The database, as messages show it (the URL without its password)."""
        return self._where

    def _listen(self) -> int:
        """A connection that LISTENs, then the incident's head: everything committed
        after that head is notified on the new connection."""
        self._where, connection = connect(self._url, read_only=True)
        try:
            if connection.info.server_version >= IDLE_SESSION_TIMEOUT_SINCE:
                # Waiting for notices is idle by design: a server that ends idle sessions
                # (a DBA's reaper) cut the feed every few seconds, the screen saying
                # "Lost the connection" and "Reconnected" over and over.
                connection.execute("SET idle_session_timeout = 0")
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
            row = connection.execute(_HEAD, (self._incident_id,)).fetchone()
        except self._error as exc:
            connection.close()
            raise StoreError(
                self._where, f"cannot listen for new events: {error_text(exc)}"
            ) from None
        self._connection = connection
        return 0 if row is None else int(row[0])

    def wait(self, timeout_s: float) -> int | None:
        """Block until an append to the incident is committed; the highest seq heard.

        Notices already waiting are all taken, so a burst of appends wakes the caller
        once. None if `timeout_s` passed with none (then the caller may simply wait
        again; nothing is lost, since it reads from the log, not from the notices).
        A lost connection is a StoreError; the next call connects again (a StoreError
        while the server cannot be reached) and returns the incident's head at once.
        """
        if self._closed:
            raise StoreError(self._where, "the live feed is closed")
        if self._connection is None:
            return self._listen()
        connection = self._connection
        deadline = time.monotonic() + timeout_s
        heard: int | None = None
        try:
            while True:
                remaining = 0.0 if heard is not None else deadline - time.monotonic()
                if heard is None and remaining <= 0:
                    return None
                got = False
                for notice in connection.notifies(timeout=remaining, stop_after=1):
                    got = True
                    seq = self._seq_of(notice.payload)
                    if seq is not None:
                        heard = max(heard or 0, seq)
                if heard is not None and not got:
                    return heard  # having heard one, took what else was already queued
        except self._error as exc:
            self._connection = None
            connection.close()
            raise StoreError(self._where, f"lost the live feed: {error_text(exc)}") from None

    def _seq_of(self, payload: str) -> int | None:
        incident_id, _, seq = payload.rpartition(" ")
        if incident_id != self._incident_id or not seq.isdigit():
            return None
        return int(seq)

    def close(self) -> None:
        self._closed = True
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> PostgresListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
