"""With the probes not polled (the bundled runbook's default URLs, or `--no-probes`), the
coordinator's screen says so and what to do, whole at 80x24, instead of waiting for
readings that will never come (a fresh-eyes review of the wheel, items 3 and 8).

The toast was cut before its remedy (`▌ version, error-rate) still point at`), the
Production rows read `? health not polled: at the bun…`, the decision's triggers
`0 of 3 readings so far` and the guidance `no evidence yet (no samples from version
yet)`.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.clock import ManualClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.probe_runbooks import pointed_rollback
from tests.tui.coordinator_harness import coordinator, declared, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0


def toast_text(lines: list[str]) -> str:
    """The toast's rows (drawn with a `▌` at their left, half the screen wide), as one
    line of words."""
    rows = [line[:40].split("▌", 1)[1].strip() for line in lines if line.startswith("▌")]
    return " ".join(rows)


def unpolled(screen: IncidentScreen) -> bool:
    """Whether the screen knows of probes it does not poll."""
    return bool(screen.view.not_polled)


async def test_at_80x24_the_unpolled_toast_and_rows_are_whole(tmp_path: Path) -> None:
    opened = coordinator(tmp_path / "defaults.db", size=(80, 24), notifications=True)
    async with opened as (app, pilot, _screen):
        await wait_until(pilot, lambda: "Probes" in toast_text(screen_lines(app)))
        lines = screen_lines(app)
        toast = toast_text(lines)
        assert "Probes not polled: default URLs" in toast, toast
        assert "`lastgood init` writes a runbook for your service" in toast, toast
        for probe in ("health", "version", "error-rate"):
            row = next(line for line in lines if f"? {probe} " in line)
            assert "not polled: default URL │" in row, row


async def test_the_guidance_says_a_probe_at_its_default_is_not_polled(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "guide.db", size=(80, 24)) as (_app, pilot, screen):
        await wait_until(pilot, lambda: unpolled(screen))
        await pilot.press("]", "]")
        await guide(pilot, screen, "check-health")
        text = screen.query_one(Guidance)._text.plain
        assert "▸ Press space: error-rate not polled: default URL; checking asks" in text
        assert "no evidence yet" not in text


async def test_with_probes_off_the_triggers_and_the_guidance_do_not_wait(tmp_path: Path) -> None:
    """Its probes pointed somewhere: at their bundled defaults they say that instead."""
    clock = ManualClock(SCENARIO_T0)
    runbook = load_runbook(pointed_rollback(tmp_path / "off.yaml"))
    incident_id = declared(tmp_path / "off.db", clock, decided=False, runbook=runbook)
    with SqliteEventLog.open(tmp_path / "off.db") as log:
        app = LastGoodApp(
            log,
            None,
            clock=clock,
            actor="ada",
            incident_id=incident_id,
            network=True,
            poll_probes=False,
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await wait_until(pilot, lambda: unpolled(screen))

            await guide(pilot, screen, "decide-rollback")
            await pilot.press("d")
            await wait_for_screen(pilot, DecisionModal)
            await pilot.pause()
            shown = "\n".join(screen_lines(app))
            assert "readings so far" not in shown and "no samples yet" not in shown, shown
            assert shown.count("not polled (probes off); judge by eye, mark core-broken") == 2
            assert "why roll back" in shown, shown  # the reason still in view at 80x24
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)

            await pilot.press("]", "]")
            await guide(pilot, screen, "confirm-version")
            text = screen.query_one(Guidance)._text.plain
            assert "▸ Press space: version not polled (probes off); checking asks what you saw" in (
                text
            )
            assert "no evidence yet" not in text
