"""The TUI's Book post-mortem takes `2026-11-29 14:00`, read in this machine's zone,
and its toast says so (ux_review11 #14; the rule and the CLI:
tests/test_meeting_time_typed.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input

from incident.app.verbs import BY_NAME
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, fill_form, wait_for_screen, wait_until
from tui.app.modals import VerbForm
from tui.app.screens.verb_forms import open_form


async def test_the_booking_form_reads_a_time_without_a_zone_in_the_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, incident):
        open_form(incident.desk, BY_NAME["schedule-postmortem"])
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        assert isinstance(form, VerbForm)
        hint = form.query_one("#param-at", Input).placeholder
        assert hint.startswith("not in the past (no zone: Europe/Berlin), e.g. "), hint

        await fill_form(pilot, at="2026-11-29 14:00")
        await wait_until(pilot, lambda: incident.state.postmortem is not None)
        booked = incident.state.postmortem
        assert booked is not None
        assert booked.starts_at == datetime(2026, 11, 29, 13, 0, tzinfo=UTC)
        said = [str(n.message) for n in app._notifications]
        assert any(
            "Post-mortem booked for 2026-11-29 13:00:00 UTC (60 min): "
            "2026-11-29 14:00 read in Europe/Berlin" in message
            for message in said
        ), said
