"""The key the guidance names opens its form filled in with what the guidance names, and
where clearing a manual trigger is the way on, the guidance names `t` (a fresh-eyes
review of the wheel, item 7).

`▸ Press r: assign the leadership role` opened the Assign role form with Role blank; at
Check health with core-broken still marked met the guidance pointed at the override
(space), and `t` opened Mark trigger with Verdict blank though only `cleared` made sense.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select

from incident.app import database_tiers, steps
from incident.app.session import IncidentSession
from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.modals import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance


def selected(form: VerbForm, name: str) -> object:
    return form.query_one(f"#param-{name}", Select).value


async def guided_form(
    pilot: Pilot[None], screen: IncidentScreen, pages: int, step: str, key: str
) -> tuple[str, VerbForm]:
    """`]` `pages` times, `step` highlighted: what the guidance says, and the form its
    `key` then opens."""
    await pilot.press(*["]"] * pages)
    await guide(pilot, screen, step)
    text = screen.query_one(Guidance)._text.plain
    await pilot.press(key)
    await wait_for_screen(pilot, VerbForm)
    form = screen.app.screen
    assert isinstance(form, VerbForm)
    return text, form


async def test_r_opens_the_role_form_on_the_role_the_tier_waits_for(tmp_path: Path) -> None:
    def tier(session: IncidentSession) -> object:
        return database_tiers.choose_tier(session, "ada", "restore-backup", reason="drop column")

    opened = coordinator(tmp_path / "tier.db", decided=True, prepare=tier)
    async with opened as (_app, pilot, screen):
        text, form = await guided_form(pilot, screen, 1, "database-rollback", "r")
        assert "▸ Press r: assign the leadership role" in text, text
        assert selected(form, "role") == "leadership"
        await pilot.press(*"Bo", "enter")  # focus is on who takes it
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.roles.get("leadership") == "Bo")


async def test_a_manual_trigger_still_met_names_t_which_opens_it_cleared(tmp_path: Path) -> None:
    def marked(session: IncidentSession) -> object:
        return steps.mark_trigger(session, "Bo", "core-broken", "met")

    opened = coordinator(tmp_path / "trigger.db", decided=True, prepare=marked)
    async with opened as (_app, pilot, screen):
        text, form = await guided_form(pilot, screen, 2, "check-health", "t")
        assert "▸ Press t: mark core-broken cleared once it no longer holds" in text, text
        assert selected(form, "trigger") == "core-broken"
        assert selected(form, "verdict") == "cleared"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: not screen.state.triggers["core-broken"].met)
        await guide(pilot, screen, "check-health")
        assert "Press t:" not in screen.query_one(Guidance)._text.plain
