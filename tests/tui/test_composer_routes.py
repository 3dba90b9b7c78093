"""The composer says where its message goes: to which webhooks, or nowhere.

A free-text message (`c`, "Free text (no template)") reached no webhook, and the
dialog said nothing of it: the due dialog has its "delivered to: team" line, the
composer had none, and the toast said "Message recorded as sent" (a fresh user's
review). The count line now says it, as the template changes.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Select

from incident.app.lifecycle import Declaration, declare
from incident.core.clock import ManualClock
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0

RUNBOOK = """\
runbook: routed
title: Routed
templates:
  initiating: "Initiating rollback due to {issue}."
  note: "A word to the team."
notify:
  targets:
    - {name: team, kind: slack, url: "${HOOK}"}
    - {name: ops, kind: json, url: "${HOOK}"}
  send:
    initiating: {to: [team, ops]}
phases:
  - id: decide
    title: Decide
    steps:
      - {id: decide, title: Decide to roll back}
"""


async def test_the_count_line_says_where_the_message_goes(tmp_path: Path) -> None:
    path = tmp_path / "routed.yaml"
    path.write_text(RUNBOOK)
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(tmp_path / "routed.db") as log:
        details = Declaration("t", "SEV2", "Ada")
        incident_id = declare(log, load_runbook(path), details, actor="ada", clock=clock).state.id
        app = LastGoodApp(
            log, None, clock=clock, actor="ada", incident_id=incident_id, network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("c")
            await wait_for_screen(pilot, ComposerModal)
            composer = app.screen

            def count() -> str:
                return str(composer.query_one("#count", Label).render())

            assert count() == "0 characters · recorded only, no webhook takes it"
            template: Select[str] = composer.query_one("#template", Select)
            template.value = "initiating"
            await wait_until(pilot, lambda: count().endswith(" · to team, ops"))
            template.value = "note"  # a template the runbook routes nowhere
            await wait_until(
                pilot, lambda: count().endswith(" · recorded only, no webhook takes it")
            )
