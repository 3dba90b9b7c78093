"""`lastgood monitor` as a pipeline runs it: a real process, a real service, a real file."""

from __future__ import annotations

import json
import os
import re
import subprocess

from tests.cli_helpers import Cli, lastgood_command
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService


def test_monitor_records_samples_and_the_trigger(tmp_path):
    cli = Cli(tmp_path / "monitor.db", actor="bastion")
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            "declare",
            "--title",
            "t",
            "--severity",
            "SEV2",
            "--commander",
            "A",
            "--runbook",
            runbook.source,
            "--last-good",
            "2.4.0",
        ).strip()
        out = cli.ok("monitor", incident_id, "--for", "4.5")
    lines = out.strip().splitlines()
    assert len([line for line in lines if "version 2.4.1" in line]) >= 4
    assert any("Trigger error-rate met: error-rate" in line for line in lines)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ticks = [e for e in record["events"] if e["kind"] == "probe.samples"]
    assert len(ticks) >= 4
    assert {s["probe"] for s in ticks[0]["payload"]["samples"]} == {
        "health",
        "version",
        "error-rate",
    }
    assert all(e["actor"] == "probes" for e in ticks)  # the same actor as in the TUI
    assert "ok," in cli.ok("verify", incident_id)


def test_monitor_refuses_a_runbook_without_probes_and_unreachable_is_recorded(tmp_path):
    cli = Cli(tmp_path / "m.db")
    bare = tmp_path / "bare.md"
    bare.write_text("# Bare\n\n## Execute (T+0 to T+30 minutes)\n\n- [ ] Roll back\n")
    incident_id = cli.ok(
        "declare",
        "--title",
        "t",
        "--severity",
        "SEV3",
        "--commander",
        "A",
        "--runbook",
        str(bare),
    ).strip()
    refused = cli.run("monitor", incident_id, "--for", "1")
    assert refused.code == 2 and "defines no probes and no messages to send" in refused.err

    with DemoService() as service:
        url = service.url
    runbook = write_demo_runbook(url, tmp_path)  # the service is gone: refused
    down = cli.ok(
        "declare",
        "--title",
        "t",
        "--severity",
        "SEV3",
        "--commander",
        "A",
        "--runbook",
        runbook.source,
    ).strip()
    out = cli.ok("monitor", down, "--for", "2.5")
    assert "health REFUSED connection refused" in out
    status = json.loads(cli.ok("status", down, "--json"))
    assert status["events"] >= 3


def test_monitor_leaves_unpointed_probes_out_and_says_how_to_point_them(tmp_path):
    """As on the coordinator's screen: the bundled runbook's loopback defaults are not
    polled (they could only be refused), and stderr says how to point them."""
    cli = Cli(tmp_path / "unpointed.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "A",
    ).strip()  # fmt: skip
    done = cli.run("monitor", incident_id, "--probes-only", "--for", "1")
    assert done.code == 0, done.err
    assert "not polled: the runbook's probes (health, version, error-rate)" in done.err
    assert "lastgood init" in done.err
    assert "REFUSED" not in done.out
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert status["events"] == 2  # the declaration and its step alone: nothing was polled


def test_monitor_that_ends_while_its_samples_are_not_recorded_exits_2(tmp_path):
    """A run of `monitor --for` whose last samples the record did not keep (here its file
    was moved away mid-run) exited 0, and a pipeline took it for a success (a
    PostgreSQL review found it on a server that never took a write)."""
    db = tmp_path / "monitor.db"
    cli = Cli(db, actor="bastion")
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        declared = ("--title", "t", "--severity", "SEV2", "--commander", "A")
        incident_id = cli.ok("declare", *declared, "--runbook", runbook.source).strip()
        monitor = subprocess.Popen(
            [*lastgood_command(), "monitor", incident_id, "--for", "6"],
            env=cli.env,
            cwd=cli.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            first = monitor.stdout.readline() if monitor.stdout else ""
            assert "version" in first, first
            os.rename(db, tmp_path / "moved.db")
            out, err = monitor.communicate(timeout=60)
        finally:
            monitor.kill()
    assert monitor.returncode == 2, err
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"watching {incident_id} in {db} as ")
    assert re.search(rf"^T\+00:\d\d  samples not recorded: {re.escape(str(db))}: ", out, re.M), out
    assert lines[-1].startswith(
        f"lastgood monitor: stopped while samples were not recorded: {db}: "
    )
    assert "moved or replaced" in lines[-1]
