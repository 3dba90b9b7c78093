"""Close-out in the TUI says what to do in its own words, not the command line's verbs.

Walking the close-out, the guidance read "Press space: record the root cause (rca)"
and "book the post-mortem (schedule-postmortem)", and the post-mortem screen listed
"Schedule post-mortem: book the post-mortem (schedule-postmortem)": names typed in a
shell, where the TUI's key is space and its list says "Book post-mortem". The TUI says
what is done; `lastgood check`'s refusal (run as a process) still names the verb.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import highlight, scenario_app, wait_for_screen, wait_until
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.postmortem_view import postmortem_text


async def test_the_guidance_and_the_post_mortem_name_no_cli_verb(tmp_path: Path) -> None:
    db = tmp_path / "resolved.db"
    scenario = scenario_copy("resolved", db)
    refused = Cli(db).run("check", scenario.incident_id, "preliminary-rca")
    assert refused.code == 2
    assert "record the root cause (rca), which checks it" in refused.err
    refused = Cli(db).run("check", scenario.incident_id, "schedule-post-mortem")
    assert "book the post-mortem (schedule-postmortem), which checks it" in refused.err

    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        guidance = screen.query_one(Guidance)
        for step, words in (
            ("preliminary-rca", "Press space: record the root cause; P opens the post-mortem."),
            ("schedule-post-mortem", "Press space: book the post-mortem; P opens the"),
        ):
            highlight(screen, step)
            await wait_until(pilot, lambda step=step: step in str(screen.view.selected_step))
            await wait_until(pilot, lambda words=words: words in guidance._text.plain)
            assert "(rca)" not in guidance._text.plain
            assert "(schedule-postmortem)" not in guidance._text.plain

        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        body = postmortem_text(screen.state).plain
        assert " [ ] Preliminary RCA: record the root cause\n" in body
        assert " [ ] Schedule post-mortem: book the post-mortem\n" in body
