"""A database password never reaches a message, however it is written in the URL.

libpq reads the user and password up to the first `@`, and only when no `/` comes
before it, so a generated password holding an unescaped `/` or `@` was read as the
host, port or database, and messages showed that parse: the whole password for
`u:ab/cd...@host`, its tail for `u:p@ss...@host` (a PostgreSQL review). Here the
passwords are made of marker words no message holds (`Zq0Xv`, `Zq1Xv`, ...) between
the characters URLs and libpq give meaning to; a marker in a message is a piece of
the password shown. Connecting goes to a closed port on 127.0.0.1, or to the host
libpq made of the password, which does not resolve.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import StoreError
from store.postgres_connection import connect, shown_url
from store.postgres_url import ESCAPE_HINT, ambiguous
from tests.cli_helpers import Cli
from tests.postgres_server import free_port

SPECIALS = "/@:%?#=&,'\" "
"""What a URL or libpq reads as something other than a password's own characters."""


@st.composite
def passwords(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A password and the marker words it is made of."""
    count = draw(st.integers(1, 4))
    markers = [f"Zq{i}Xv" for i in range(count)]
    joins = [draw(st.text(SPECIALS, max_size=3)) for _ in range(count + 1)]
    text = joins[0] + "".join(m + j for m, j in zip(markers, joins[1:], strict=True))
    return text, markers


SHAPES = (
    "postgresql://u:{pw}@127.0.0.1:{port}/inc1",
    "postgresql://u:{pw}@127.0.0.1:{port}/inc1?sslmode=disable",
    "postgresql://u@127.0.0.1:{port}/inc1?password={pw}",
    "postgres://u:{pw}@localhost:{port}/",
)

_PORT = free_port()


@settings(max_examples=300)
@given(password=passwords(), shape=st.sampled_from(SHAPES))
def test_no_password_appears_in_a_shown_url_or_a_connection_error(
    password: tuple[str, list[str]], shape: str
) -> None:
    text, markers = password
    url = shape.format(pw=text, port=_PORT)
    said = [shown_url(url)]
    try:
        where, connection = connect(url, read_only=True)
    except StoreError as error:
        said.append(str(error))
    else:  # a closed port: never expected, but what it would show is checked all the same
        connection.close()
        said.append(where)
    for line in said:
        assert not [m for m in markers if m in line], (url, line)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:ab/cdSECRET@db.example/inc1", "postgresql://…@db.example/inc1"),
        ("postgresql://u:p@ssSECRET@127.0.0.1:{port}/inc1", "postgresql://…@127.0.0.1:{port}/inc1"),
        ("postgresql://u:p@ss?SECRET@127.0.0.1:{port}/inc1", "postgresql://…"),
    ],
    ids=["slash", "at", "at-and-query-mark"],
)
def test_an_unescaped_slash_or_at_is_shown_without_the_user_and_with_the_remedy(
    url: str, shown: str
) -> None:
    port = free_port()
    url, shown = url.format(port=port), shown.format(port=port)
    assert ambiguous(url)
    done = Cli(url).run("list")  # type: ignore[arg-type]
    assert done.code == 2
    assert done.err.startswith(f"lastgood list: {shown}: ")
    assert ESCAPE_HINT in done.err
    assert "SECRET" not in done.err and "'u'" not in done.err


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pw@h:5432/db",
        "postgresql://u:a?b#c:d@h/db",
        "postgresql://u@h/db",
        "postgresql://h:5432/db",
        "postgresql://u:pw@[::1]:5432/db",
        "postgresql:///db?host=/var/run/postgresql",
    ],
)
def test_a_url_libpq_reads_as_written_is_not_ambiguous(url: str) -> None:
    assert not ambiguous(url)
