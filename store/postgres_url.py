"""How a PostgreSQL URL is read before anything connects: refused when libpq would
misread it, and shown without its password.

libpq reads the user and password up to the first `@`, and only when no `/` comes
before it. A password holding an unescaped `/` (`u:ab/cd@host/db`) becomes the host,
port and database; one holding an `@` (`u:p@ss@host/db`) leaves its tail in the host.
libpq then looks those pieces up as host names, sending the password to the resolver,
and connects wherever they lead. Such a URL is refused before any of that (`misread`);
only what is left of the string parsing and showing is psycopg's (`store.postgres_connection`).
"""

from __future__ import annotations

from store.errors import StoreError

ESCAPE_HINT = "percent-encode / as %2F and @ as %40 in the password"
"""What to do about a password that holds an unescaped `/` or `@`."""

MISREAD = (
    "ambiguous URL: an unescaped / or @ in the password, or an @ in the database name, "
    "leaves libpq to guess where the password ends; not connected; "
    f"{ESCAPE_HINT}, and @ as %40 in the database name"
)
"""Why a `misread` URL is refused; it names no part of the URL."""


def misread(url: str) -> bool:
    """Whether libpq would read an `@` of the URL outside its user, password and query.

    That is: more than one `@` before the host (`u:p@ss@host`), or a `/` before the last
    such `@` (`u:pa/ss@host`, which libpq reads as host `u`, port `pa` and database
    `ss@host`). An `@` after libpq's user and password and before its query is never
    meant as libpq reads it: a host or port cannot hold one, and a database so named
    is written with %40 too. An `@` in the query (`?application_name=me@laptop`) is
    the query's, as libpq reads it, and an escaped one (`%40`) is no `@` at all.

    Not caught: a password whose `?` follows one of its `@`s, and whose tail then reads
    as a known parameter (`p@ss?options=x`): libpq refuses almost every such tail as
    a malformed query, before connecting (`unquoted` gives the remedy).
    """
    rest = url.split("://", 1)[-1]
    ends = [i for i in (rest.find("@"), rest.find("/")) if i >= 0]
    if ends and rest[min(ends)] == "@":  # libpq's user and password end here
        rest = rest[min(ends) + 1 :]
    return "@" in rest.split("?", 1)[0]


def refuse_misread(url: str) -> None:
    """A StoreError, before anything connects, if libpq would misread `url` (`misread`)."""
    if misread(url):
        raise StoreError(ambiguous_shown(url), MISREAD)


def ambiguous(url: str) -> bool:
    """Whether a message may not show the URL as libpq reads it: a `misread` one, or one
    whose password may run on past the first `@`.

    A URL with a `:` before an `@` that is not the one `@` ending the authority may
    hold a password libpq reads only the start of. A few good URLs are caught too (an
    `@` in a query value after a password): they still connect, and are shown without
    their user.
    """
    if misread(url):
        return True
    rest = url.split("://", 1)[-1]
    last = rest.rfind("@")
    if last < 0 or ":" not in rest[:last]:
        return False
    first = rest.find("@")
    return first != last or "/" in rest[:first]


def ambiguous_shown(url: str) -> str:
    """An ambiguous URL as messages show it: what follows its last `@` (the host, port
    and database as written, which no password reaches), up to its query."""
    scheme, _, rest = url.partition("://")
    before, _, after = rest.rpartition("@")
    if "?" in before:  # the last @ may be in a query value, a password's among them
        return f"{scheme}://…"
    return f"{scheme}://…@{after.split('?', 1)[0]}"


def shown_parts(user: object, host: object, port: object, dbname: object) -> str:
    """postgresql://USER@HOST:PORT/DBNAME, an IPv6 address in brackets."""
    place = str(host or "localhost")
    if ":" in place and not place.startswith("/"):
        place = f"[{place}]"
    where = f"{place}:{port}" if port else place
    return f"postgresql://{f'{user}@' if user else ''}{where}/{dbname or ''}"
