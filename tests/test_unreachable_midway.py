"""`verify --all` and `list` go on past an incident they cannot read, saying so (exit 1):
a damaged row is that incident's. A record that stops answering midway (a PostgreSQL
server gone after the first incident was read) is not: it was said as a broken chain
(`BROKEN at start: unreadable: ... connection refused`, exit 1, read as tampering) and as
an unreadable incident. Now it ends the verb as every verb's such failure: one line,
exit 75, try again.

A SQLite reader is not held up by another writer's lock, so the record here is a real
file whose log, once its first incident is read, raises what the store raises for a
server gone away (`Unavailable`); the verbs run through the real entry point.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from store.backends import open_event_log
from store.errors import Unavailable
from tests.cli_helpers import Cli, declare
from tui.cli.errors import TRY_AGAIN

GONE = "cannot read: connection refused (is PostgreSQL running there?)"


class GoneMidway:
    """A real record's log that answers for its first incident, then no more."""

    def __init__(self, log: Any) -> None:
        self._log = log
        self._read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._log, name)

    def _reading(self, incident_id: str) -> None:
        self._read.add(incident_id)
        if len(self._read) > 1:
            raise Unavailable(self._log.path, GONE)

    def verify(self, incident_id: str) -> Any:
        self._reading(incident_id)
        return self._log.verify(incident_id)

    def opening_items(self, incident_id: str, *args: Any) -> Any:
        self._reading(incident_id)
        return self._log.opening_items(incident_id, *args)


@contextmanager
def gone_midway() -> Iterator[None]:
    def opened(*args: Any, **options: Any) -> GoneMidway:
        return GoneMidway(open_event_log(*args, **options))

    with mock.patch("tui.cli.opening.open_event_log", opened):
        yield


@pytest.mark.parametrize("verb", [("verify", "--all"), ("list",)], ids=["verify", "list"])
def test_a_record_gone_midway_is_75_not_a_finding(tmp_path: Path, verb: tuple[str, ...]) -> None:
    cli = Cli(tmp_path / "r.db", actor="Ada")
    for _ in range(2):
        declare(cli)
    same = cli.in_process()
    with gone_midway():
        done = same.run(*verb)
    assert done.code == TRY_AGAIN, done
    assert done.err == f"lastgood {verb[0]}: {cli.db}: {GONE}\n", done.err
    assert "BROKEN" not in done.out
