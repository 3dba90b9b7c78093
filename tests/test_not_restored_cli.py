"""A service verified and resolved goes back to the bad release (ux_review15 #2).

The guide's Phase 4 closes out "once the service is stable", and its principle is to
keep stakeholders informed. Production here is a real service on loopback polled by a
real `lastgood monitor` process, switched back to 2.4.1 with 25% errors after the
rollback was verified and the resolution sent: the monitor's tick line marks it,
`status` and `brief` say verification no longer holds (the checks contradicted, an
update owed again), their `--json` and a `monitor --json` say it as `not_restored`, and
`close` refuses until forced with a reason, which it records.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Callable

from tests.cli_helpers import Cli, lastgood_command
from tests.switchable_service import SwitchableService
from tests.test_json_schemas import assert_valid
from tui.demo.launch import write_demo_runbook

DEADLINE_S = 60.0


def wait_for(what: str, condition: Callable[[], bool]) -> None:
    """Until `condition()` holds, asking again as soon as it has answered; fails after
    `DEADLINE_S` naming `what`."""
    give_up = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < give_up, f"never: {what}"


def lines_until_not_restored(cli: Cli, incident_id: str) -> list[dict[str, object]]:
    """`monitor ID --json`'s lines (another monitor, the first stopped) up to its first
    samples line that says the service is not restored; fails after `DEADLINE_S`."""
    monitor = subprocess.Popen(
        # --for: it ends, and its stdout with it, whatever it says
        [*lastgood_command(), "monitor", incident_id, "--probes-only", "--json", "--for", "60"],
        env=cli.env,
        cwd=cli.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    give_up = time.monotonic() + DEADLINE_S
    lines: list[dict[str, object]] = []
    try:
        assert monitor.stdout is not None
        for text in monitor.stdout:  # each line as monitor writes it
            lines.append(json.loads(text))
            if lines[-1]["kind"] == "samples" and lines[-1].get("not_restored"):
                break
            assert time.monotonic() < give_up, f"not said in {len(lines)} lines: {lines[-1]}"
    finally:
        monitor.send_signal(signal.SIGTERM)
        _, err = monitor.communicate(timeout=60)
    assert "Traceback" not in err, err
    return lines


def test_verified_then_back_on_the_bad_release(tmp_path):
    cli = Cli(tmp_path / "incidents.db", actor="Ada")
    setup = cli.in_process()
    with SwitchableService(version="2.4.0", error_rate=0.002) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            "declare", "--title", "checkout", "--severity", "SEV2", "--commander", "Ada",
            "--runbook", runbook.source, "--from-version", "2.4.1", "--last-good", "2.4.0",
        ).strip()  # fmt: skip
        monitor = subprocess.Popen(
            [*lastgood_command(), "monitor", incident_id, "--probes-only"],
            env=cli.env,
            cwd=cli.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for step in ("confirm-version", "check-health"):  # once the readings show it
                wait_for(step, lambda s=step: setup.run("check", incident_id, s).code == 0)
            setup.ok("check", incident_id, "smoke-test", "--evidence", "logged in, paid")
            setup.ok("send", incident_id, "--template", "resolved")
            assert "no more stakeholder updates due" in cli.ok("status", incident_id)

            service.version, service.error_rate = "2.4.1", 0.25  # the bad release again
            wait_for(
                "the trigger met and the version read",
                lambda: (
                    "version 2.4.1 running since" in (s := setup.ok("status", incident_id))
                    and "rollback trigger error-rate met" in s
                ),
            )
            status = cli.ok("status", incident_id)
            brief = cli.ok("brief", incident_id)
            status_json = json.loads(cli.ok("status", incident_id, "--json"))
            brief_json = json.loads(cli.ok("brief", incident_id, "--json"))
            monitor.send_signal(signal.SIGTERM)
            out, err = monitor.communicate(timeout=60)
            json_lines = lines_until_not_restored(cli, incident_id)
            refused = cli.run("close", incident_id)
            forced = cli.run("close", incident_id, "--force", "--reason", "night shift owns it")
        finally:
            if monitor.returncode is None:
                monitor.send_signal(signal.SIGTERM)
                monitor.communicate(timeout=60)
    assert "Traceback" not in err, err

    lapse = re.search(r"^verification no longer holds: (.*)$", status, re.M)
    assert lapse, status
    assert re.fullmatch(
        r"rollback trigger error-rate met since T\+\d\d:\d\d; version 2\.4\.1 running since "
        r"T\+\d\d:\d\d, not the last good 2\.4\.0 \(after verification at T\+\d\d:\d\d\)",
        lapse.group(1),
    ), lapse.group(1)
    assert "no more stakeholder updates due" not in status
    assert re.search(r"^next stakeholder update (OVERDUE|overdue|due)", status, re.M), status
    assert re.search(r"\[x\] confirm-version: .*\(contradicted now: version 2\.4\.1", status)
    assert re.search(r"\[x\] check-health: .*\(contradicted now: rollback trigger", status)
    assert re.search(r"Verification .*DONE.*verification no longer holds", status), status
    assert "Verification no longer holds: rollback trigger error-rate met" in brief, brief
    # --json carries the same words as `not_restored` (null while restored)
    assert_valid("status", status_json)
    assert_valid("brief", brief_json)
    assert status_json["not_restored"] == "verification no longer holds: " + lapse.group(1)
    assert brief_json["not_restored"] == status_json["not_restored"]
    for line in json_lines:
        assert_valid("monitor-line", line)
    said = [line["not_restored"] for line in json_lines if line["kind"] == "samples"]
    assert said and said[-1] == status_json["not_restored"], json_lines

    assert refused.code != 0, refused
    assert "the service is not stable (rollback trigger error-rate met since" in refused.err
    assert "version 2.4.1 running, the release rolled back" in refused.err
    assert "Traceback" not in refused.err
    assert forced.code == 0, forced.err

    assert re.search(r"  ✖ NOT RESTORED$", out, re.M), out
    assert re.search(r"^T\+\d\d:\d\d  verification no longer holds: ", out, re.M), out

    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    closed = next(e for e in record["events"] if e["kind"] == "incident.closed")
    assert closed["payload"]["reason"] == "night shift owns it"
    assert "rollback trigger error-rate met since" in closed["payload"]["unstable"]
