"""One connection to a lastgood PostgreSQL database: reaching it, guarding it, closing it.

The PostgreSQL counterpart of `store.sqlite_file`: how the URL is shown (never with
its password; one libpq would misread is refused first, `store.postgres_url`), how
psycopg is loaded (only here, only when a `postgresql://` URL is given, so the SQLite
path never pays for it), which settings every connection gets, and how psycopg
failures become a one-line `StoreError` naming the database. The log and the outbox
add only their queries.

Every connection runs in autocommit, with `synchronous_commit = on` set
explicitly (a commit is durable on the server when it returns, whatever the
server's default), a `lock_timeout` as long as SQLite's write wait and a
`statement_timeout` a little longer; a write is one explicit transaction
(`_writing`). Every round trip also has a deadline of the client's own
(`ANSWER_DEADLINE_S`), for a server that cannot enforce its timeouts.

A `PostgresDatabase` outlives its connection: a TUI holds one for hours, and the
server may restart under it. A connection the server has closed is replaced, with
the same URL and settings, when the next read or write begins (`_using`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import threading
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from store.connection import WRITE_WAIT_S
from store.errors import NotPermitted, StoreError, Unavailable
from store.postgres_url import (
    ESCAPE_HINT,
    ambiguous,
    ambiguous_shown,
    refuse_misread,
    shown_parts,
)

REFUSED_FOR_GOOD = frozenset({"42501", "25006"})
"""SQLSTATEs that say no for good: insufficient privilege, read-only transaction."""

FOR_NOW_CLASSES = ("08", "53", "57", "58", "40")
"""SQLSTATE classes of a server that may answer later: connection exception,
insufficient resources (a full disk: 53100), operator intervention (shutting down,
starting up, a statement timeout: 57014), system error (I/O), and a transaction
rolled back (a deadlock or serialization failure)."""

FOR_NOW_STATES = frozenset({"55P03"})
"""SQLSTATEs of the same kind outside those classes: a lock not got in `lock_timeout`."""


def for_now_or_good(exc: BaseException) -> type[StoreError]:
    """`Unavailable` for a failure that may pass, `NotPermitted` for a refusal of the
    role's rights, else `StoreError`. A connection that failed or was lost carries no
    SQLSTATE (libpq says it in words): it may pass, but for wrong credentials or a
    database or role that does not exist, which stay as they are until someone acts."""
    state = getattr(exc, "sqlstate", None)
    if state in REFUSED_FOR_GOOD:
        return NotPermitted
    if state is None:
        said = str(exc).lower()
        for_good = ("password authentication failed", "no password supplied", "does not exist")
        if any(words in said for words in for_good):
            return StoreError
        return Unavailable if _is_operational(exc) else StoreError
    if state in FOR_NOW_STATES or state.startswith(FOR_NOW_CLASSES):
        return Unavailable
    return StoreError


def _is_operational(exc: BaseException) -> bool:
    """Whether psycopg says `exc` is of the connection or the server's operation."""
    return any(kind.__name__ == "OperationalError" for kind in type(exc).__mro__)


if TYPE_CHECKING:
    import psycopg

INSTALL_HINT = "pip install 'lastgood[postgres]'"
CONNECT_TIMEOUT_S = 10
"""How long reaching the server may take when the URL does not say (`connect_timeout`)."""
LOST_NETWORK_SETTINGS = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 25_000,
}
"""libpq's TCP settings when the URL does not say: a network that goes silent is noticed
in about 25 seconds, not when the kernel gives up (some 15 minutes).

A server that restarts closes its connections, and the next call sees it; a network
that drops packets (a partition, a VPN that went away, a host that lost power) closes
nothing. Without these, a write in flight waited on TCP's retransmissions and a
listener waited for notices that could not come, while the screen said nothing. An
idle connection is probed after 10 s and given up after three unanswered probes 5 s
apart; a request the server has not acknowledged in 25 s fails. Both are far past
a busy server's answer (the kernel, not PostgreSQL, acknowledges), and far short of an
incident's patience. Ignored on a unix socket. The URL's own values win.
"""

STATEMENT_TIMEOUT_S = 15
"""The server's limit on one statement (`statement_timeout`): past the lock wait
(`WRITE_WAIT_S`), so a write waiting its turn is told that first."""
ANSWER_DEADLINE_S = 20.0
"""How long the client waits for the server's answer to one request, whatever it is
(a statement, BEGIN, COMMIT), before closing the connection and failing the call.

A server that is hung rather than down (stopped by a debugger or SIGSTOP, frozen by
its host, stuck in I/O) answers nothing, enforces none of its own timeouts, and its
kernel still acknowledges every packet, so neither keepalives nor `tcp_user_timeout`
fire: `monitor` waited as long as the server did, printing nothing, its probes and
deliveries stopped with it. Longer than `STATEMENT_TIMEOUT_S`, so a slow statement is
ended by the server, keeping the connection; the next call connects again.
"""


def load_psycopg() -> Any:
    """psycopg, or a StoreError saying how to install it (it is an optional extra)."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "postgresql", f"psycopg is not installed; {INSTALL_HINT} to use PostgreSQL"
        ) from None
    return psycopg


def shown_url(url: str) -> str:
    """The database a URL names, as messages show it before connecting: user, host, port
    and database, never the password; what the URL leaves out, from libpq's
    environment ($PGHOST, $PGPORT, $PGUSER, $PGDATABASE) as libpq takes it.

    A URL psycopg cannot parse is shown as its scheme alone, since what follows
    may hold a password; an `ambiguous` one, as written after its last `@`. Once
    connected, `shown_connection` says where for sure.
    """
    psycopg = load_psycopg()
    if ambiguous(url):
        return ambiguous_shown(url)
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return url.split("://", 1)[0] + "://…"
    shown = shown_parts(
        parts.get("user") or os.environ.get("PGUSER"),
        parts.get("host") or os.environ.get("PGHOST"),
        parts.get("port") or os.environ.get("PGPORT"),
        parts.get("dbname") or os.environ.get("PGDATABASE"),
    )
    service = parts.get("service") or os.environ.get("PGSERVICE")
    return f"{shown}?service={service}" if service else shown


def shown_connection(connection: psycopg.Connection[Any]) -> str:
    """Where `connection` is, as libpq resolved it (a service file, the environment)."""
    info = connection.info
    return shown_parts(info.user, info.host, info.port, info.dbname)


def error_text(exc: BaseException) -> str:
    """The first line of what the server or libpq said, without its DETAIL/HINT lines."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    text = str(primary) if primary else str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def unquoted(exc: BaseException, url: str) -> str:
    """libpq's reason a URL could not be read, without what it quotes of it.

    It quotes the whole URL, or only the token it could not read: for an unescaped `%`
    in a password (`p@ss%word`), that token is the password's tail, which a message
    must not show. What it quotes is left out, and a hint given for the usual cause.
    """
    reason = _without_quotes(error_text(exc).replace(url, "the URL"))
    if "percent-encoded" in reason:
        reason += "; write a % in a password as %25"
    if ambiguous(url):
        reason += f"; {ESCAPE_HINT}"
    return reason


def _without_quotes(text: str) -> str:
    """`text` with everything from its first quote to its last made `…`: what libpq
    quotes is a piece of the URL, which may hold a quote itself."""
    import re  # psycopg has loaded it already

    return re.sub(r"[\"'].*[\"']", "…", text)


def _connect_problem(exc: BaseException, *, url_ambiguous: bool = False) -> str:
    """Why a connection failed, in words a coordinator can act on: libpq's reason
    without its "connection to server at ... failed:" preamble, severity or DETAIL.

    For an `ambiguous` URL, what libpq quotes (the host it made of a password's
    tail) is left out, and the remedy added."""
    text = " ".join(str(exc).split())
    if url_ambiguous:
        text = _without_quotes(text)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        reason = "wrong credentials (password authentication failed)"
    elif "connection refused" in lowered:
        reason = "connection refused (is PostgreSQL running there?)"
    else:
        reason = text.rsplit("failed:", 1)[-1].strip() or text
        reason = reason.split(" DETAIL:", 1)[0].split(" HINT:", 1)[0]
        reason = reason.removeprefix("FATAL:").strip() or text
    return f"{reason}; if the password holds / or @, {ESCAPE_HINT}" if url_ambiguous else reason


def connect(url: str, *, read_only: bool) -> tuple[str, psycopg.Connection[Any]]:
    """The shown URL and a connection with our settings; every failure a StoreError.

    A URL libpq would misread is refused first, before psycopg reads it
    (`store.postgres_url.misread`)."""
    refuse_misread(url)
    psycopg = load_psycopg()
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise StoreError(
            "postgresql://…", f"not a usable PostgreSQL URL ({unquoted(exc, url)})"
        ) from None
    where = shown_url(url)
    parts.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    for name, value in LOST_NETWORK_SETTINGS.items():
        parts.setdefault(name, value)
    parts.setdefault("application_name", "lastgood")
    unclear = ambiguous(url)
    try:
        connection = _answered_in_time().connect(**parts, autocommit=True)
    except psycopg.Error as exc:
        problem = _connect_problem(exc, url_ambiguous=unclear)
        raise for_now_or_good(exc)(where, f"cannot connect: {problem}") from None
    if not unclear:  # else libpq's parse, which may hold a password's tail
        where = shown_connection(connection)
    try:
        connection.execute("SET synchronous_commit = on")
        connection.execute(f"SET lock_timeout = '{int(WRITE_WAIT_S * 1000)}ms'")
        connection.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT_S}s'")
        if read_only:
            connection.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        connection.close()
        raise for_now_or_good(exc)(where, f"cannot open: {error_text(exc)}") from None
    return where, connection


@functools.cache
def _answered_in_time() -> type[psycopg.Connection[Any]]:
    """psycopg's connection, waiting at most `ANSWER_DEADLINE_S` for any one answer.

    Every request psycopg makes goes through `wait`; a caller that gives its own
    timeout (a listener waiting for notices) keeps it. Past the deadline the
    connection is closed, its state being unknown mid-exchange, and the call fails
    as a lost connection does: a StoreError in `_using`, the next call connecting
    again.
    """
    psycopg = load_psycopg()
    # What `wait` raises past its timeout: private, so the `postgres` extra pins the
    # version. A psycopg installed otherwise, without it (3.2 and before), gets the
    # plain connection: the server's `statement_timeout` still bounds each statement.
    private: type[Exception] | None = getattr(psycopg.errors, "_WaitTimeout", None)
    if private is None:
        return psycopg.Connection  # type: ignore[no-any-return]
    waited_too_long: type[Exception] = private

    class AnsweredInTime(psycopg.Connection):  # type: ignore[misc,name-defined]
        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            if timeout is not None:
                return super().wait(gen, interval, timeout)
            try:
                return super().wait(gen, interval, ANSWER_DEADLINE_S)
            except waited_too_long:
                self.pgconn.finish()
                raise psycopg.OperationalError(
                    f"the server did not answer for {ANSWER_DEADLINE_S:g} s "
                    "(hung or overloaded?); the connection is closed"
                ) from None

    return AnsweredInTime


def server_left(connection: psycopg.Connection[Any]) -> bool:
    """Whether the server has closed `connection`, as far as can be told without a round trip.

    psycopg marks a connection closed once a call has found it broken, but one the
    server closed while it sat idle (a restart, `pg_terminate_backend`) looks open
    until it is used, and that use fails. The server said goodbye first (a FATAL
    error, then the end of the stream), so the socket is readable: an idle
    connection that LISTENs to nothing is otherwise sent only the rare notice or
    parameter change, and taking one of those for a goodbye costs a new connection.
    """
    if connection.closed:
        return True
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


class PostgresDatabase:
    """A view of the database over one connection; calls from several threads take turns.

    The connection is replaced when the server has closed it (`_using`), so a view
    held open for the length of an incident survives the server's restart.
    """

    _noun: ClassVar[str] = "database"

    def __init__(
        self, where: str, connection: psycopg.Connection[Any], *, url: str, read_only: bool
    ) -> None:
        self._where = where
        self._url = url
        """Kept to connect again (and to open what lives beside); never shown (`where` is)."""
        self._read_only = read_only
        self._connection: psycopg.Connection[Any] | None = connection
        """None once lost (the next call connects) or closed (`_closed`)."""
        self._closed = False
        self._lock = threading.Lock()
        self._error: type[Exception] = load_psycopg().Error

    @property
    def path(self) -> str:
        """Where the record is, as messages show it (the URL without its password)."""
        return self._where

    @contextlib.contextmanager
    def _using(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        """The connection, under the lock, with psycopg errors made StoreErrors.

        A connection the server closed is replaced first, so the call after a
        restart works; while the server cannot be reached each call fails in one
        line and the next one tries again. A call that fails midway is not run
        again, read or write: a write whose COMMIT went unanswered may have been
        recorded, and running it again could record it twice; a read that fails
        midway is rare once a closed connection is replaced before use, and its
        caller (a screen's next read, a command run again) asks again anyway.
        """
        with self._lock:
            if self._closed:
                raise StoreError(self._where, f"{action}: the {self._noun} is closed")
            connection = self._reconnected(action)
            try:
                yield connection
            except self._error as exc:
                error = for_now_or_good(exc)
                raise error(self._where, f"{action}: {error_text(exc)}") from None

    def _reconnected(self, action: str) -> psycopg.Connection[Any]:
        """The connection, or a new one with the same settings if the server closed it."""
        connection = self._connection
        if connection is not None and not server_left(connection):
            return connection
        self._connection = None
        if connection is not None:
            connection.close()
        try:
            _, self._connection = connect(self._url, read_only=self._read_only)
        except StoreError as exc:
            raise type(exc)(self._where, f"{action}: {exc.reason}") from None
        return self._connection

    @contextlib.contextmanager
    def _writing(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        """One transaction, committed (durably: `synchronous_commit = on`) on leaving."""
        with self._using(action) as connection, connection.transaction():
            yield connection

    def _query(self, sql: str, parameters: Sequence[object]) -> list[tuple[Any, ...]]:
        """One query with SQLite-style `?` placeholders (the shared SQL in `store.summarised`)."""
        with self._using("cannot read the log") as connection:
            return connection.execute(sql.replace("?", "%s"), parameters).fetchall()

    def close(self) -> None:
        """Close the connection; further calls raise StoreError. Safe to repeat."""
        with self._lock:
            self._closed = True
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
