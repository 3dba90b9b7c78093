"""`monitor` says when a message falls due, once each (ux_review4 finding 7).

The recording verbs print `due: the announce message (step:decide)` and how to send it
on stderr; the monitor, the pane an on-call watches while a second pane runs the CLI,
said nothing then or later, and with every message `mode: confirm` (as `init` writes
them) it sends nothing by itself either. Now it says a line for each (`due: ...; send
it with ...`), in its own stream beside its other lines about messages. A real
`monitor` process, the CLI in others, a real SQLite file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.waiting import poll_until

WAIT_S = 60
RUNBOOK = """\
runbook: monitor-due
title: Messages due while a monitor runs
templates:
  announce: "Rolling back {title} now."
  paging: "Paging the owners of {title}."
notify:
  targets:
    - {name: team, kind: slack, url: "http://127.0.0.1:9/never-called"}
  send:
    announce: {to: [team], on: "step:decide"}
    paging: {to: [team], on: "step:page"}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: decide, title: Decide to roll back}
      - {id: page, title: Page the owners}
      - {id: announce, title: Announce, kind: communication, template: announce}
      - {id: paging, title: Page, kind: communication, template: paging}
"""


def due(incident_id: str, template: str, moment: str) -> str:
    """`monitor`'s line for a message as it falls due (the verbs say all that wait in
    three lines, each command once: `due_lines`)."""
    return (
        f"due: the {template} message ({moment}); send it with "
        f"`lastgood send {incident_id} --template {template}` or decline with "
        f"`lastgood decline {incident_id} {template} --reason ...`"
    )


@pytest.mark.parametrize("as_json", [False, True], ids=["lines", "json"])
def test_monitor_says_each_message_that_falls_due_once(tmp_path: Path, as_json: bool) -> None:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = Cli(tmp_path / "due.db", actor="ada")
    incident_id = cli.ok(
        *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
        *("--runbook", str(runbook)),
    ).strip()
    options = ["--json"] if as_json else []
    with running_monitor(cli, incident_id, *options) as (process, out, err):

        def said() -> list[str]:
            lines = list(out.lines)
            return [json.loads(line)["text"] for line in lines] if as_json else lines

        def says(line: str) -> int:
            return sum(each.endswith(line) for each in said())

        poll_until(lambda: err.has("watching"), "the monitor started", WAIT_S)
        checked = cli.run("check", incident_id, "decide")
        assert "due: the announce message (step:decide)\n" in checked.err  # the verb's lines
        assert f"  send it: lastgood send {incident_id} --template announce\n" in checked.err
        poll_until(lambda: says(due(incident_id, "announce", "step:decide")) == 1, "due", WAIT_S)
        cli.ok("check", incident_id, "page")
        # Seen at a later tick of the monitor, while the announce message still waits.
        poll_until(lambda: says(due(incident_id, "paging", "step:page")) == 1, "paging", WAIT_S)
        assert says(due(incident_id, "announce", "step:decide")) == 1, said()
        process.terminate()
        assert process.wait(WAIT_S) == 0, err.joined()
    out.joined()
    assert says(due(incident_id, "announce", "step:decide")) == 1, said()
    assert says(due(incident_id, "paging", "step:page")) == 1, said()
