"""The verbs that open a screen exit as every other verb on a record that cannot be read
now: 75, not 2.

`start` and `attach` open the record on the command line, whose failures go through
the one mapping of store failures to exit statuses (`tui.cli.errors.store_status`);
then the screen reads the incident, and a failure there was a refusal for good (2),
whatever it was. A SQLite reader is not held up by another writer's lock, so what
fails there is a server gone after the opening: here a real record's read-only log
that raises the store's `Unavailable` from then on, as a PostgreSQL server that went
away does, and the app run headless.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from store.errors import Unavailable
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.refusal import Refusing
from tui.cli.errors import TRY_AGAIN, CliError
from tui.cli.launch import raise_refusal

GONE = "cannot read: connection refused (is PostgreSQL running there?)"


class GoneAfterOpening:
    """A real record's log whose every read after the opening fails as the store says a
    server gone away (`Unavailable`)."""

    def __init__(self, log: SqliteEventLog) -> None:
        self._log = log

    def __getattr__(self, name: str) -> Any:
        return getattr(self._log, name)

    def opening_items(self, *args: object) -> Any:
        raise Unavailable(self._log.path, GONE)


async def refused_code(app: Refusing) -> int:
    async with app.run_test(size=(80, 24)):
        pass  # the app closes itself, refusing, on its first read
    with pytest.raises(CliError) as refused:
        raise_refusal(app)
    assert str(refused.value).endswith(GONE)
    return refused.value.exit_code


@pytest.mark.parametrize("face", ["attach", "start", "start, picking"])
async def test_a_record_gone_after_the_opening_is_75_from_a_screen(
    tmp_path: Path, face: str
) -> None:
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident_id = declare(cli)
    with SqliteEventLog.open(cli.db, read_only=face == "attach") as opened:
        log: Any = GoneAfterOpening(opened)
        if face == "attach":
            app: Refusing = FollowApp(log, incident_id)
        else:  # given the ID, or reading the open incidents to pick one
            given = incident_id if face == "start" else None
            app = LastGoodApp(log, None, actor="Ada", incident_id=given, network=False)
        assert await refused_code(app) == TRY_AGAIN
