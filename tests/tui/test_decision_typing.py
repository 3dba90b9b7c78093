"""Text typed in the decision dialog is text: it never records a trigger.

A coordinator opened the gate (`d`) on an incident with no trigger met, pressed down
twice and typed the reason, "payments": the focus was on the trigger list, where the
letters were thrown away but `m` (and a space) toggled the highlighted manual trigger,
and the record said "Core functionality broken: marked met". Only space toggles a
trigger now (on the list: the one key there that is never text), and the other
letters typed on the list go to Reason, as they would have had the focus been there.
The gate opened in Reason while Reason was empty, for a while; the hint line said
"space (list) toggles manual" there, and Down Down Down space typed a space into
the reason (ux_review17): it opens on the list again, whose letters are the reason's
(test_decision_focus.py).

Each case runs the real app on a real SQLite file and reads the record afterwards.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList

from incident.core.events import Event
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import Scenario, declared


def keys(text: str) -> list[str]:
    """`text` as the keys that type it."""
    return ["space" if char == " " else char for char in text]


def recorded_since(scenario: Scenario, seq: int) -> list[Event]:
    with SqliteEventLog.open(scenario.log.path, read_only=True) as log:
        return [e for e in log.events(scenario.incident_id) if e.seq > seq]


async def at_the_gate(pilot: Pilot[None], app: LastGoodApp) -> Screen[object]:
    """`d` on the incident screen: the decision dialog, once it takes keys."""
    await pilot.press("d")
    await wait_for_screen(pilot, DecisionModal)
    await wait_until(pilot, lambda: not app.holding_keys)
    return app.screen


async def typed_at_the_gate(scenario: Scenario, *keys: str) -> tuple[str, list[Event]]:
    """`d`, then `keys`; what Reason holds and what was recorded meanwhile."""
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        before = app.screen.state.last_seq  # type: ignore[attr-defined]
        dialog = await at_the_gate(pilot, app)
        await pilot.press(*keys)
        await wait_until(pilot, lambda: not app.keys_on_their_way)
        await dialog.workers.wait_for_complete()
        reason = dialog.query_one("#reason", Input).value
    return reason, recorded_since(scenario, before)


async def test_with_no_trigger_met_the_gate_opens_on_its_triggers(tmp_path: Path) -> None:
    scenario = declared(tmp_path / "quiet.db", at=timedelta(0))  # no sample yet: none met
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        dialog = await at_the_gate(pilot, app)
        await wait_until(pilot, lambda: dialog.focused is not None)
        assert dialog.focused is dialog.query_one("#triggers", OptionList)
        assert dialog.query_one("#reason", Input).value == ""
    scenario.log.close()


async def test_the_reviewers_keys_record_nothing(tmp_path: Path) -> None:
    """`d`, down, down, "payments" on an incident with no trigger met."""
    scenario = declared(tmp_path / "quiet.db", at=timedelta(0))
    reason, recorded = await typed_at_the_gate(scenario, "down", "down", *keys("payments"))
    scenario.log.close()
    assert recorded == []
    assert reason == "payments"


async def test_letters_typed_on_the_trigger_list_go_to_reason(tmp_path: Path) -> None:
    """A met trigger prefills Reason, so the gate opens on the list: down twice is the
    manual trigger, and the words typed there, spaces and an `m` among them, are the
    reason's, appended to the prefill as Tab and typing would."""
    scenario = scenario_copy("declared", tmp_path / "met.db")
    reason, recorded = await typed_at_the_gate(scenario, "down", "down", *keys("; payments down"))
    scenario.log.close()
    assert [e.kind for e in recorded] == []
    assert reason == "Rollback triggers met: Error rate > 5%; payments down"


async def test_a_word_typed_on_the_list_is_spaced_from_the_prefill(tmp_path: Path) -> None:
    """Typed on the list, "payments" glued to the prefill's last word ("5%payments"): a
    word's first letter now comes after a space when the text before the cursor ends
    in none. Punctuation still follows at once (above: "5%; payments down")."""
    scenario = scenario_copy("declared", tmp_path / "met.db")
    reason, recorded = await typed_at_the_gate(scenario, "down", "down", *keys("payments"))
    scenario.log.close()
    assert recorded == []
    assert reason == "Rollback triggers met: Error rate > 5% payments"


async def test_space_on_the_list_still_marks_a_manual_trigger(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "met.db")
    reason, recorded = await typed_at_the_gate(scenario, "down", "down", "space")
    scenario.log.close()
    assert [(e.kind, e.payload.get("trigger"), e.payload.get("met")) for e in recorded] == [
        ("trigger.changed", "core-broken", True)
    ]
    assert reason == "Rollback triggers met: Error rate > 5%, Core functionality broken"


async def test_the_footer_names_space_only_on_the_list(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "met.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        dialog = await at_the_gate(pilot, app)
        assert dialog.focused is dialog.query_one("#triggers", OptionList)
        assert "space" in dialog.active_bindings and "m" not in dialog.active_bindings
        await pilot.press("tab", "tab")
        await wait_until(pilot, lambda: dialog.focused is dialog.query_one("#reason", Input))
        assert "space" not in dialog.active_bindings
    scenario.log.close()
