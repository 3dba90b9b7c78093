"""A running drill's fault is the coordinator's to find: no output names it until the
drill is closed; then every one that named it before names it again.

The drill is recorded into a real SQLite file by the domain (no shop: nothing here
needs the network) and read by `lastgood` run as a process, as a user runs it; the
headless drill runs the real shop on loopback. A review found the fault in
`status --json`, `list --drills` (text and JSON), `score`, the JSON export (its status
and the declaration among its events) and `replay --json`, and in the card the
headless drill printed when `--for` ran out before the close.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from msgspec.structs import replace

from incident import commands
from incident.app.drill import closed_score
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.state import fold
from incident.reports.drill_faults import (
    FAULTS,
    HIDDEN,
    FaultHidden,
    FaultName,
    fault_shown,
    shown_fault,
)
from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.memory_log import MemoryLog
from tests.test_json_schemas import assert_valid
from tui.demo.scenarios import (
    DECLARATION,
    SCENARIO_ID,
    SCENARIO_T0,
    bundled_runbook,
    mid_phase_two,
)

FAULT = FAULTS[FaultName.IRREVERSIBLE_MIGRATION]
GIVEAWAYS = (str(FAULT.name), FAULT.title, FAULT.tier_reason)
"""What names the fault: its name, its title, why the tiers that fit it fit."""

READING = (
    ("status",),
    ("status", "--json"),
    ("list", "--drills"),
    ("list", "--drills", "--json"),
    ("score",),
    ("score", "--json"),
    ("brief",),
    ("brief", "--json"),
    ("timeline",),
    ("timeline", "--json"),
    ("export",),
    ("export", "--format", "json"),
    ("replay", "--json"),
    ("replay", "--json", "--at", "T+00:30"),
)
"""Every reading verb that could carry an incident's declaration, text and JSON."""


@pytest.fixture
def drill(tmp_path: Path) -> Cli:
    """A drill of an irreversible migration at T+12, phase 2 under way, still open."""
    db = tmp_path / "drill.db"
    scenario = mid_phase_two(db, replace(DECLARATION, drill=str(FAULT.name)))
    scenario.log.close()
    return Cli(db, actor="Ada")


def _args(words: tuple[str, ...]) -> list[str]:
    """The verb, the drill's id, then the options (`list` takes no id)."""
    verb, *options = words
    return [verb, *options] if verb == "list" else [verb, SCENARIO_ID, *options]


def test_no_output_names_a_running_drills_fault_and_every_one_does_once_closed(
    drill: Cli,
) -> None:
    answers = {words: drill.run(*_args(words)) for words in READING}
    leaks = [
        (" ".join(words), giveaway)
        for words, answer in answers.items()
        for giveaway in GIVEAWAYS
        if giveaway in answer.out + answer.err
    ]
    assert leaks == []
    refusals = {words: answer for words, answer in answers.items() if answer.code != 0}
    assert set(refusals) == {("score",), ("score", "--json"), ("export", "--format", "json")}
    for words, answer in refusals.items():
        assert answer.code == 2 and answer.out == "", words
        assert answer.err == (
            f"lastgood {words[0]}: {SCENARIO_ID} is a drill still running: "
            f"its {'score card' if words[0] == 'score' else 'JSON export'} names the fault "
            "it plays, which is shown only once the drill is closed\n"
        )
    status = json.loads(answers[("status", "--json")].out)
    assert_valid("status", status)
    assert status["drill"] == HIDDEN
    listed = json.loads(answers[("list", "--drills", "--json")].out)
    assert_valid("list", listed)
    assert [row["drill"] for row in listed] == [HIDDEN]
    assert answers[("list", "--drills")].out.rstrip().endswith("[drill (fault hidden until close)]")
    assert (
        "drill (fault hidden until close): a rehearsal; its score card shows once it is closed"
        in answers[("status",)].out.splitlines()
    )
    for replayed in (("replay", "--json"), ("replay", "--json", "--at", "T+00:30")):
        assert json.loads(answers[replayed].out)["drill"] == HIDDEN

    drill.ok("close", SCENARIO_ID, "--force", "--reason", "rehearsal over")
    status = json.loads(drill.ok("status", SCENARIO_ID, "--json"))
    assert_valid("status", status)
    assert status["drill"] == FAULT.name
    listed = json.loads(drill.ok("list", "--drills", "--json"))
    assert_valid("list", listed)
    assert [row["drill"] for row in listed] == [FAULT.name]
    assert drill.ok("list", "--drills").rstrip().endswith(f"[drill: {FAULT.name}]")
    card = drill.ok("score", SCENARIO_ID).splitlines()
    assert card[0] == f"Drill {SCENARIO_ID} (closed): {FAULT.title} [{FAULT.name}]"
    assert json.loads(drill.ok("score", SCENARIO_ID, "--json"))["fault"] == FAULT.name
    export = json.loads(drill.ok("export", SCENARIO_ID, "--format", "json"))
    assert_valid("export", export)
    assert export["status"]["drill"] == FAULT.name
    assert export["events"][0]["payload"]["drill"] == FAULT.name
    # A moment before the close, replayed after it: the drill is over, its fault shown.
    early = json.loads(drill.ok("replay", SCENARIO_ID, "--json", "--at", "T+00:30"))
    assert (early["status"], early["drill"]) == ("open", FAULT.name)


def test_a_headless_drill_whose_time_runs_out_open_does_not_print_its_card(
    tmp_path: Path,
) -> None:
    """`drill --headless --for` ran out before anyone closed the drill: it says how to
    see the card once closed, where it printed the card, fault and all."""
    cli = Cli(tmp_path / "headless.db", actor="Ada")
    done = subprocess.run(
        [*lastgood_command(), "drill", "--headless", "--fault", str(FAULT.name), "--for", "0.5"],
        env=cli.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for giveaway in GIVEAWAYS:
        assert giveaway not in done.stdout + done.stderr, giveaway
    incident_id, farewell = done.stdout.splitlines()
    assert farewell.startswith(
        f"Drill {incident_id} is still open; its score card, once it is closed: "
        f"lastgood --db {cli.db} score {incident_id}; go on: "
    )


def test_the_rule_shows_a_drills_fault_only_once_it_is_closed() -> None:
    """`fault_shown` decides it; `shown_fault` (the JSON) and `closed_score` (the card)
    ask it; a real incident has no fault to show."""
    clock = ManualClock(SCENARIO_T0)
    runbook = bundled_runbook()
    details = replace(DECLARATION, drill=str(FAULT.name))
    event = commands.declare(runbook, details, actor="Ada", clock=clock, incident_id="INC-D-1")
    session = IncidentSession.declare(MemoryLog(), event, clock)
    assert not fault_shown(session.state)
    assert shown_fault(session.state) == HIDDEN
    with pytest.raises(FaultHidden, match="INC-D-1 is a drill still running: its score card"):
        closed_score(session.state, clock.now())
    clock.advance(180)
    session.run(lambda s: commands.close(s, actor="Ada", clock=clock, force=True, reason="over"))
    closed = session.state
    assert fault_shown(closed)
    assert shown_fault(closed) == FAULT.name
    opened = fold(session.log.events("INC-D-1")[:1])  # the moment of the declaration
    assert shown_fault(opened) == HIDDEN
    assert shown_fault(opened, latest=closed) == FAULT.name  # ... of a drill now closed
    assert closed_score(closed, clock.now()).fault == FAULT
    real = replace(DECLARATION, drill="")
    plain = commands.declare(runbook, real, actor="Ada", clock=clock, incident_id="INC-R-1")
    assert shown_fault(IncidentSession.declare(MemoryLog(), plain, clock).state) is None
