"""Messages to webhooks from the TUI: recorded first, delivered in the background.

A real receiver on loopback takes the Slack-shaped message; a second target is
down for good, and its failure is recorded and shown, while the screen stays live.
"""

from __future__ import annotations

import socket

from incident import commands
from incident.core.clock import SystemClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.webhook_receivers import WebhookReceiver
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.incident_bar import IncidentBar

RUNBOOK = """\
runbook: notify-demo
title: Notify demo
templates:
  initiating: "Initiating rollback due to {{issue}}. ETA {{eta}}."
notify:
  targets:
    - {{name: team, kind: slack, url: "{team}"}}
    - {{name: ops, kind: json, url: "{ops}", headers: {{Authorization: "Bearer ${{OPS_TOKEN}}"}}}}
  send:
    initiating: [team, ops]
phases:
  - id: decide
    title: Decision and Communication
    window: [0, 5]
    steps:
      - id: notify-stakeholders
        title: Notify stakeholders
        kind: communication
        template: initiating
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_message_is_delivered_and_a_dead_target_is_recorded_failed(tmp_path, monkeypatch):
    monkeypatch.setenv("OPS_TOKEN", "s3cret-token")
    async with WebhookReceiver() as team:
        path = tmp_path / "notify.yaml"
        path.write_text(
            RUNBOOK.format(team=team.url(), ops=f"http://127.0.0.1:{closed_port()}/hook")
        )
        runbook = load_runbook(path)
        db = tmp_path / "notify.db"
        log = SqliteEventLog.open(db)
        clock = SystemClock()
        details = commands.Declaration(
            title="Checkout errors", severity="SEV2", commander="Ada", issue="checkout 500s"
        )
        declared = commands.declare(runbook, details, actor="ada", clock=clock)
        log.append([declared])
        app = LastGoodApp(log, runbook, clock=clock, actor="ada", incident_id=declared.incident_id)
        app.delivery_attempts = 2
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            await pilot.press("space")  # the communication step opens the composer
            await wait_for_screen(pilot, ComposerModal)
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            assert screen.state.steps["notify-stakeholders"].done
            assert {d.status for d in screen.state.deliveries.values()} <= {
                "pending",
                "delivered",
                "failed",
            }
            await wait_until(
                pilot,
                lambda: (
                    sorted(d.status for d in screen.state.deliveries.values())
                    == ["delivered", "failed"]
                ),
            )
            bar = str(screen.query_one(IncidentBar).render())
            assert "✉ 1 FAILED" in bar
    assert len(team.accepted_keys()) == 1
    assert team.requests[0].document == {
        "text": screen.state.communications[0].text,
    }
    with SqliteEventLog.open(db, read_only=True) as reader:
        events = reader.events(declared.incident_id)
    kinds = [e.kind for e in events]
    assert kinds.count("notification.queued") == 2
    assert kinds.count("notification.delivered") == 1
    failed = next(e for e in events if e.kind == "notification.failed")
    assert failed.payload["target"] == "ops" and failed.payload["attempts"] == 2
    assert "refused" in str(failed.payload["error"])
    assert b"s3cret-token" not in db.read_bytes()
