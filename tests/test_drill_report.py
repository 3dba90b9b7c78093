"""A drill's report and timeline say near the top that it was a rehearsal, and where
its score card is, as `status` says it; its fault named only once it is closed.

The `drill-closing` scenario (a drill of an irreversible migration, every required
step done) on a real SQLite file; `lastgood export` and `timeline` run as a user
runs them, before and after its close.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from tests.cli_helpers import Cli
from tests.golden.markdown_checks import html_tokens, tokens
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR, SCENARIO_ID

FAULT = "irreversible-migration"
SCORE = f"`lastgood score {SCENARIO_ID}`"


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def test_a_drill_says_it_is_a_rehearsal_and_where_its_score_card_is(tmp_path: Path) -> None:
    scenario = scenario_copy("drill-closing", tmp_path / "drill.db")
    cli = Cli(scenario.log.path, actor=ACTOR)
    scenario.log.close()

    running = cli.ok("export", SCENARIO_ID)
    said = (
        "This is a drill, a rehearsal, not a real incident: its fault is hidden until it "
        f"is closed, when its score card shows: {SCORE}."
    )
    assert paragraphs(running)[1] == said  # under the title, above the metadata table
    assert paragraphs(running)[2].startswith("|   |   |")
    assert FAULT not in running and "irreversible migration" not in running
    timeline = cli.ok("timeline", SCENARIO_ID)
    assert paragraphs(timeline)[1] == said
    assert FAULT not in timeline

    scenario = scenario_copy("drill-closing", tmp_path / "drill.db")
    clock = scenario.clock
    scenario.advance(60)
    scenario.run(lambda s: commands.close(s, actor=ACTOR, clock=clock))
    scenario.log.close()
    closed = cli.ok("export", SCENARIO_ID)
    said = (
        "This was a drill, a rehearsal of a release with an irreversible migration "
        f"(`{FAULT}`), not a real incident. Its score card: {SCORE}."
    )
    assert paragraphs(closed)[1] == said
    assert html_tokens(tokens(closed)) == []
    assert paragraphs(cli.ok("timeline", SCENARIO_ID))[1] == said
    assert f"lastgood score {SCENARIO_ID}" in cli.ok("status", SCENARIO_ID)


def test_a_real_incident_says_nothing_of_drills(tmp_path: Path) -> None:
    scenario = scenario_copy("closed", tmp_path / "real.db")
    cli = Cli(scenario.log.path, actor=ACTOR)
    scenario.log.close()
    report = cli.ok("export", SCENARIO_ID)
    assert paragraphs(report)[1].startswith("|   |   |")
    assert "drill" not in report.lower() and "lastgood score" not in report
