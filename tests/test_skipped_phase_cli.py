"""A Verification phase skipped whole reads "skipped" on every face, never "done, on time".

The guide's Phase 3 says the service MUST be verified. A coordinator who skipped
each Verification step (each with a reason) was shown the phase as "done, on time"
by `status`, the brief, the report and the timeline, as if it had been verified
(a review). The CLI's `main` in this process (`InProcessCli`), against a real SQLite
file: what each verb prints is the test's, not the process around it
(tests/test_text_is_data_cli.py runs these verbs as processes).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli
from tests.test_json_schemas import assert_valid

VERIFY = ("confirm-version", "check-health", "smoke-test")


def declared(tmp_path: Path) -> tuple[Cli, str]:
    cli = InProcessCli(tmp_path / "skipped.db", actor="Ada")
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada")
    return cli, cli.ok(*args, "--from-version", "2.4.1", "--last-good", "2.4.0").strip()


def verify_line(status: str) -> str:
    return next(line for line in status.splitlines() if line.startswith("Verification  "))


def verify_phase(data: dict[str, object], key: str = "phases") -> dict[str, object]:
    phases = data[key]
    assert isinstance(phases, list)
    return next(p for p in phases if p["id"] == "verify")


def test_a_verification_phase_skipped_whole_says_skipped_everywhere(tmp_path: Path) -> None:
    cli, incident_id = declared(tmp_path)
    for step in VERIFY:
        cli.ok("skip", incident_id, step, "--reason", f"no time for {step} | *now*")

    line = verify_line(cli.ok("status", incident_id))
    assert line == "Verification  (T+15-45)  SKIPPED  no step checked"
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert verify_phase(status)["state"] == "skipped"
    assert status["current_phase"] == "decide"
    assert_valid("status", status)  # "skipped" is one of the documented states

    brief = cli.ok("brief", incident_id).splitlines()
    assert "Skipped whole, no step checked: Verification" in brief
    brief_data = json.loads(cli.ok("brief", incident_id, "--json"))
    assert brief_data["skipped_phases"] == ["verify"]
    assert_valid("brief", brief_data)

    report = cli.ok("export", incident_id, "-o", "-")
    row = next(r for r in report.splitlines() if r.startswith("| Verification |"))
    assert row.endswith("| skipped, no step checked |") and "on time" not in row
    reasons = "; ".join(f"{step}: no time for {step} \\| \\*now\\*" for step in VERIFY)
    assert (
        f"⚠ Verification was skipped: none of its steps was checked. The reasons given: "
        f"{reasons}." in report.splitlines()
    )
    verified = next(r for r in report.splitlines() if r.startswith("| Service verified |"))
    assert verified.endswith("| all skipped: confirm-version, check-health, smoke-test |")
    assert "    Skipped :done, a3, " in report  # the Gantt bar is no "Actual" one

    exported = json.loads(cli.ok("export", incident_id, "--format", "json", "-o", "-"))
    phase = verify_phase(exported, "phase_results")
    assert (phase["state"], phase["on_time"]) == ("skipped", None)
    assert phase["result"] == "skipped, no step checked"

    timeline = cli.ok("timeline", incident_id)
    summary = timeline.split("## Verification\n\n", 1)[1].splitlines()[0]
    assert summary.endswith("; skipped, no step checked.")
    timeline_data = json.loads(cli.ok("timeline", incident_id, "--json"))
    phase = verify_phase(timeline_data, "phases")
    assert (phase["state"], phase["result"]) == ("skipped", "skipped, no step checked")
    assert_valid("timeline", timeline_data)


def test_a_verification_phase_partly_skipped_is_done_but_not_verified(tmp_path: Path) -> None:
    """Its work is over (DONE, not skipped whole), but a skipped step verified nothing:
    each face that reads it done says which were skipped (ux_review7 F2)."""
    cli, incident_id = declared(tmp_path)
    cli.ok("check", incident_id, "confirm-version", "--evidence", "/version says 2.4.0")
    for step in VERIFY[1:]:
        cli.ok("skip", incident_id, step, "--reason", "covered by the version check")

    assert verify_line(cli.ok("status", incident_id)) == (
        "Verification  (T+15-45)  DONE  not verified: check-health, smoke-test skipped"
    )
    assert verify_phase(json.loads(cli.ok("status", incident_id, "--json")))["state"] == "done"
    brief = cli.ok("brief", incident_id).splitlines()
    assert not any(line.startswith("Skipped whole") for line in brief)
    report = cli.ok("export", incident_id, "-o", "-")
    row = next(r for r in report.splitlines() if r.startswith("| Verification |"))
    assert row.endswith("| on time; not verified: check-health, smoke-test skipped |")
    assert "was skipped: none of its steps was checked" not in report
