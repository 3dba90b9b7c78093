"""The coordinator's probes go on polling whatever text a service sends (ux_review5,
finding 11).

A version probe whose JSON field held a lone surrogate (`"\\ud800"`) made the record
refuse the whole tick: the screen showed a toast with a `UnicodeEncodeError`, then
"waiting for first poll" on every row for the rest of the incident, no trigger able to
turn met. A real loopback server, a real SQLite file; the probes polled on the app's
network thread, and by a child `lastgood monitor` as `lastgood start` has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident import commands
from incident.core.clock import SystemClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.http_servers import LoopbackServer, Received, Reply, json_route
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

WAIT_S = 30.0
"""How long a child may take to start and poll on a loaded machine."""
RUNBOOK = """\
runbook: surrogates
title: Surrogates
probes:
  - {{name: health, kind: http, url: "{base}/health", interval_s: 1}}
  - {{name: version, kind: version, url: "{base}/version", json_field: version, interval_s: 1}}
phases:
  - id: act
    title: Act
    steps:
      - {{id: roll-back, title: Roll back}}
"""


async def _version(request: Received, reply: Reply) -> None:
    await reply.full(200, b'{"version": "2.4.1 \\ud800"}', "application/json")


@pytest.mark.parametrize("in_child", [False, True], ids=["network-thread", "child"])
async def test_a_lone_surrogate_is_one_reading_and_polling_goes_on(
    tmp_path: Path, in_child: bool
) -> None:
    routes = {"/health": json_route({"status": "ok"}), "/version": _version}
    async with LoopbackServer(routes) as server:
        path = tmp_path / "surrogates.yaml"
        path.write_text(RUNBOOK.format(base=server.url("").rstrip("/")))
        runbook = load_runbook(path)
        db = tmp_path / "surrogates.db"
        details = commands.Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
        declared = commands.declare(runbook, details, actor="ada", clock=SystemClock())
        with SqliteEventLog.open(db) as log:
            log.append([declared])
            app = LastGoodApp(
                log,
                None,
                actor="ada",
                incident_id=declared.incident_id,
                probes_in_child=str(db) if in_child else None,
            )
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert isinstance(screen, IncidentScreen)

                def versions() -> list[str | None]:
                    return [s.text for s in screen.state.samples.get("version", [])]

                await wait_until(pilot, lambda: len(versions()) >= 2, timeout=WAIT_S)
                assert set(versions()) == {"2.4.1 \\ud800"}
                assert len(screen.state.samples["health"]) >= 2
                shown = "\n".join(screen_lines(app))
                assert "2.4.1 \\ud800" in shown
                assert "waiting for first poll" not in shown
                assert not [n for n in app._notifications if n.title == "Probes stopped"]
