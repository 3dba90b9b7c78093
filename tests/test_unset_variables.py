"""A probe or webhook target whose `${VAR}` is unset is said where the incident starts,
and such a probe is not polled: never a failing reading that meets a trigger.

The review's orders runbook read its health URL from `${ORDERS_HEALTH_URL}`, not
exported in the monitor's shell: validate and declare said nothing, `monitor` recorded
`health ERROR environment variable ORDERS_HEALTH_URL is not set` three times and the
health trigger MET; its Slack target's variable, unset too, was found only by `deliver`
after `send` had said "sent" (ux_review8 #5, #13). Real processes, a real file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from runbooks import load_runbook
from tests.cli_helpers import Cli

RUNBOOK = """\
runbook: orders
title: Orders
probes:
  - {name: health, kind: http, url: "${LG_TEST_ORDERS_HEALTH_URL}", interval_s: 1}
  - {name: version, kind: version, url: "${LG_TEST_UNSET_BASE:-http://192.0.2.1}/v"}
triggers:
  - {id: health-failing, title: Health failing, kind: consecutive_failures, probe: health, count: 1}
notify:
  targets:
    - {name: team, kind: slack, url: "${LG_TEST_SLACK_WEBHOOK}"}
    - {name: ops, kind: json, url: "http://192.0.2.1/ops",
       headers: {Authorization: "Bearer ${LG_TEST_OPS_TOKEN}"}}
  send:
    initiating: {to: [team, ops], 'on': declared, mode: confirm}
templates:
  initiating: "Initiating rollback due to {issue}."
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""

SAID = (
    "not set in this environment: probe health reads LG_TEST_ORDERS_HEALTH_URL; "
    "target team reads LG_TEST_SLACK_WEBHOOK; target ops reads LG_TEST_OPS_TOKEN "
    "(that probe is not polled, and messages to them cannot be delivered, until set)"
)


def unset_cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "orders.db", actor="ada")
    cli.env = {k: v for k, v in cli.env.items() if not k.startswith("LG_TEST_")}
    (tmp_path / "orders.yaml").write_text(RUNBOOK)
    return cli


def declare(cli: Cli, tmp_path: Path) -> tuple[str, str]:
    done = cli.run(
        "declare", "--title", "Orders 500s", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(tmp_path / "orders.yaml"),
    )  # fmt: skip
    assert done.code == 0, done.err
    return done.out.strip(), done.err


def test_declare_names_the_unset_variables_in_one_line(tmp_path: Path) -> None:
    cli = unset_cli(tmp_path)
    _incident, err = declare(cli, tmp_path)
    assert f"lastgood declare: {SAID}\n" in err, err


def test_monitor_does_not_poll_a_probe_it_cannot_build_and_no_trigger_is_met(
    tmp_path: Path,
) -> None:
    cli = unset_cli(tmp_path)
    incident, _err = declare(cli, tmp_path)
    done = cli.run("monitor", incident, "--probes-only", "--for", "1.5")
    assert done.code == 0, done.err
    said = done.err.splitlines()
    assert said[0].startswith(f"watching {incident} in "), said
    assert ": version every 5s; stops after" in said[0], said
    assert said[1] == SAID.replace("until set", "until monitor is restarted with them set"), said
    status = json.loads(cli.ok("status", incident, "--json"))
    record = json.loads(cli.ok("export", incident, "--format", "json"))
    polled = {
        sample["probe"]
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    }
    assert "health" not in polled
    assert not any(e["kind"] == "trigger.met" for e in record["events"]), status


def test_set_it_and_nothing_is_said(tmp_path: Path) -> None:
    from runbooks.unset import unset_hint

    runbook_path = tmp_path / "orders.yaml"
    runbook_path.write_text(RUNBOOK)
    runbook = load_runbook(runbook_path)
    env = {
        "LG_TEST_ORDERS_HEALTH_URL": "http://192.0.2.1/h",
        "LG_TEST_SLACK_WEBHOOK": "http://192.0.2.1/s",
        "LG_TEST_OPS_TOKEN": "t",
    }
    assert unset_hint(runbook, env) is None
    assert unset_hint(runbook, {**env, "LG_TEST_OPS_TOKEN": ""}) is None  # set, if empty
    assert "LG_TEST_ORDERS_HEALTH_URL" not in os.environ
