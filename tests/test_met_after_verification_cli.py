"""A rollback trigger met after "Service verified" is a key moment (ux_review11 #6):
the timeline starred it in its body and left it out of Key moments, and the report's
Time to recovery with them, though the outage after the rollback is the incident's
most important fact. `timeline` and `export` run as `lastgood` processes on a real
SQLite file; the incident is brought there in-process.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.cli_helpers import Cli, declare
from tests.test_unstable_resolution_cli import verified

MOMENT = "Rollback trigger met after verification"


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="Ada")


def test_the_trigger_met_after_verification_is_a_key_moment(cli):
    """Met before the decision, cleared by the rollback, met again after verification."""
    setup = cli.in_process()
    incident_id = declare(setup)
    setup.ok("trigger", incident_id, "core-broken", "met", "--note", "checkout down")
    setup.ok("decide", incident_id, "--reason", "checkout broken")
    setup.ok("check", incident_id, "app-rollback-blue-green", "--evidence", "back on blue")
    setup.ok("trigger", incident_id, "core-broken", "cleared", "--note", "checkout works")
    setup.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    setup.ok("check", incident_id, "confirm-version", "--evidence", "/version says 2.4.0")
    setup.ok("check", incident_id, "check-health", "--evidence", "5xx at 0.2%")
    setup.ok("check", incident_id, "smoke-test", "--evidence", "logged in and checked out")
    setup.ok("trigger", incident_id, "core-broken", "met", "--note", "500s again")
    setup.ok("send", incident_id, "--template", "resolved")

    timeline = cli.ok("timeline", incident_id)
    key_moments = timeline.split("## Key moments", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in key_moments.splitlines() if line.startswith("- ")]
    assert re.search(
        rf"^- ★ {MOMENT}: T\+\S+ .*\(core-broken \(manual\), after verification at T\+\S+\)$",
        key_moments,
        re.MULTILINE,
    ), key_moments
    labels = [line.split(":", 1)[0] for line in lines]
    assert labels.index(f"- ★ {MOMENT}") == labels.index("- ★ Service verified") + 1, labels
    assert labels.index(f"- ★ {MOMENT}") < labels.index("- ★ Resolved"), labels

    report = cli.ok("export", incident_id, "-o", "-")
    recovery = report.split("### Time to recovery", 1)[1].split("\n#", 1)[0]
    assert re.search(
        rf"^\| {MOMENT} \|.*\| core-broken \(manual\), after verification at T\+\S+ \|$",
        recovery,
        re.MULTILINE,
    ), recovery

    data = json.loads(cli.ok("export", incident_id, "--format", "json", "-o", "-"))
    found = json.dumps(data)
    assert '"trigger_met_after_verification"' in found


def test_the_first_trigger_met_after_verification_is_marked_so(cli):
    """No trigger met before (no probes polled): the first trigger met is the one after
    verification, listed once, marked."""
    incident_id = verified(cli)
    cli.in_process().ok("trigger", incident_id, "core-broken", "met", "--note", "down")
    timeline = cli.ok("timeline", incident_id)
    assert MOMENT not in timeline
    assert re.search(
        r"^- ★ Rollback trigger met: .*\(core-broken \(manual\), .*after verification at T\+\S+\)$",
        timeline,
        re.MULTILINE,
    ), timeline


def test_without_one_there_is_no_such_moment(cli):
    incident_id = verified(cli)
    assert MOMENT not in cli.ok("timeline", incident_id)
    assert MOMENT not in cli.ok("export", incident_id, "-o", "-")
