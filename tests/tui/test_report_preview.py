"""The report can be read in the TUI before it is written.

`e` (and the post-mortem screen's Export) wrote `./INC-...-report.md` and said its
path: checking the Summary meant leaving the TUI, with the team still in the room (a
fresh user's review). The palette's "Preview report" shows the very text `export`
writes, read-only, its control characters shown, never parsed as markup.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from textual.widgets import TextArea

from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, wait_for_screen
from tui.app.modals import ReportPreviewModal


async def test_the_palette_shows_the_report_export_writes(tmp_path: Path) -> None:
    db = tmp_path / "resolved.db"
    scenario = scenario_copy("resolved", db)
    async with coordinator_on(scenario, size=(100, 30)) as (app, pilot, incident):
        [preview] = [
            command
            for command in app.get_system_commands(incident)
            if command.title == "Preview report"
        ]
        preview.callback()
        await wait_for_screen(pilot, ReportPreviewModal)
        shown = app.screen.query_one("#report", TextArea)
        assert shown.read_only
        text = shown.text
        await pilot.press("x", "escape")  # read-only: a key types nothing; Esc closes
        assert shown.text == text
    scenario.log.close()
    written = tmp_path / "report.md"
    InProcessCli(db).ok("export", scenario.incident_id, "-o", str(written))
    exported = written.read_text()
    assert text.splitlines()[0] == exported.splitlines()[0]
    assert "## Summary" in text
    # The same document but for the moment it was made: the report says when, and an
    # open incident's readings have a gap up to now, which the export (days after the
    # scenario's clock) names, and leaves out of the time above threshold in words
    # saying so, and the preview, at the screen's moment, does not.
    lines = exported.splitlines()
    gaps = lines.index("### Gaps in the probes' readings")
    end = next(i for i in range(gaps + 1, len(lines)) if lines[i].startswith("#"))
    assert "### Gaps" not in text and "from T+28:35 to now" in "\n".join(lines[gaps:end])
    changed = [
        line
        for line in difflib.ndiff(text.splitlines(), lines[: gaps - 1] + lines[end - 1 :])
        if line.startswith(("- ", "+ "))
    ]
    # Each line that differs is one of the moment's: when the report was made, how
    # long the open incident has run, the Gantt chart's end, and the time above
    # threshold (8m15s) said with the gap up to now left out, and the table's note
    # saying why.
    moments = (
        *("report as of", "(still open)", "Actual :active", "8m15s"),
        "peak and mean are over the readings above the threshold",
    )
    assert changed and all(any(m in line for m in moments) for line in changed), "\n".join(
        line for line in changed if not any(m in line for m in moments)
    )
