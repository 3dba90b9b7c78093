"""`status` says where each rollback trigger stands, as `brief` and the screen do.

`status`, what scripts and a second terminal ask most, said nothing of the triggers:
whether the error rate had crossed the guide's 5% was on the coordinator's screen and
in `brief`, not there. The CLI's `main` in this process (`InProcessCli`), on real SQLite
files of the demo's scenarios (a tick of probe samples every 5 s) and on an incident
just declared.
"""

from __future__ import annotations

import json
import re
from itertools import takewhile
from pathlib import Path

from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy


def triggers_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("triggers: "))


def brief_trigger_parts(out: str) -> list[str]:
    """The parts of the brief's "Triggers now:" line, wrapped over lines at "; "."""
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("Triggers now: "))
    block = [lines[at].removeprefix("Triggers now: ")]
    block += [line.strip() for line in takewhile(lambda x: x.startswith(" " * 14), lines[at + 1 :])]
    return [part for line in block for part in line.split("; ")]


def test_a_met_trigger_is_said_with_when_and_why(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    scenario = scenario_copy("declared", db)  # 2.4.1 serving 12% errors
    scenario.log.close()
    cli = InProcessCli(db)
    line = triggers_line(cli.ok("status", scenario.incident_id))
    assert line == (
        "triggers: error-rate MET since T+00:15, error-rate 12.7% > 5.0% for 3 samples; "
        "health-failing not met; core-broken not met"
    )
    assert brief_trigger_parts(cli.ok("brief", scenario.incident_id)) == line.removeprefix(
        "triggers: "
    ).split("; ")
    data = json.loads(cli.ok("status", scenario.incident_id, "--json"))
    assert [(t["id"], t["met"], t["state"]) for t in data["triggers"]] == [
        ("error-rate", True, "met"),
        ("health-failing", False, "not met"),
        ("core-broken", False, "not met"),
    ]
    assert (
        data["triggers"] == json.loads(cli.ok("brief", scenario.incident_id, "--json"))["triggers"]
    )


def test_a_trigger_no_reading_has_decided_says_no_data(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "new.db")
    declared = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "ana"
    )
    incident_id = declared.split()[0]
    assert triggers_line(cli.ok("status", incident_id)) == (
        "triggers: error-rate no data (not polled: default URL); "
        "health-failing no data (not polled: default URL); core-broken not met"
    )
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert [t["state"] for t in data["triggers"]] == ["no data", "no data", "not met"]
    assert [t["met"] for t in data["triggers"]] == [False, False, False]


def test_a_trigger_that_flapped_says_how_often_it_was_met(tmp_path: Path) -> None:
    """A flapping health check read "not met" between two flaps, though it had been met
    eight times in five minutes (a fresh user's review): `status`, `brief` and the
    decision dialog say how often, and when last."""
    cli = InProcessCli(tmp_path / "flap.db", actor="Bo")
    incident_id = cli.ok(
        "declare", "--title", "Flapping", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    for verdict in ("met", "cleared", "met", "cleared"):
        cli.ok("trigger", incident_id, "core-broken", verdict, "--note", "checkout flaps")
    line = triggers_line(cli.ok("status", incident_id))
    flapped = re.search(
        r"core-broken not met \(met 2 times, last by Bo at T\+\d\d:\d\d, "
        r"cleared by Bo at T\+\d\d:\d\d\)",
        line,
    )
    assert flapped is not None, line
    assert flapped.group() in brief_trigger_parts(cli.ok("brief", incident_id))
    cli.ok("trigger", incident_id, "core-broken", "met", "--note", "broken for good")
    assert "core-broken MET since" in triggers_line(cli.ok("status", incident_id))
