"""An approval recorded by someone else keeps "recorded by" wherever it is told.

Ada recorded the rollback decision in Cy's name (ux_review6 finding 1). The brief
said `approved decide-rollback (Cy, recorded by Ada)`; the report's Summary, its Time
to recovery, its Responders and the timeline's key moments all said only "approved
by Cy", and Cy never saw the decision. The CLI as a user runs it, on a SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli

REASON = "p99 at 8s, search unusable"


def decided_in_cys_name(tmp_path: Path) -> tuple[InProcessCli, str]:
    ada = InProcessCli(tmp_path / "shared.db", actor="Ada")
    incident_id = ada.ok(
        "declare", "--title", "Search timeouts", "--severity", "SEV3", "--commander", "Ada"
    ).strip()
    InProcessCli(tmp_path / "shared.db", actor="Cy").ok("handoff", incident_id, "Cy")
    ada.ok("decide", incident_id, "--reason", REASON, "--by", "Cy")
    return ada, incident_id


def test_the_report_and_the_timeline_say_who_recorded_cys_approval(tmp_path: Path) -> None:
    ada, incident_id = decided_in_cys_name(tmp_path)
    assert "(Cy, recorded by Ada)" in ada.ok("brief", incident_id)  # as it was

    report = ada.ok("export", incident_id, "--tz", "UTC")
    summary = report[: report.index("\n## ", report.index("## Summary") + 1)]
    assert f"Decided on: {REASON} (approved by Cy, recorded by Ada;" in summary, summary
    recovery = [line for line in report.splitlines() if line.startswith("| Rollback decision |")]
    assert recovery and all(
        "decide-rollback approved by Cy, recorded by Ada" in r for r in recovery
    )
    [cy] = [line for line in report.splitlines() if line.startswith("| Cy |")]
    assert "1 approval" in cy, cy  # the Responders table counts; the lines above say who recorded

    timeline = ada.ok("timeline", incident_id)
    [moment] = [line for line in timeline.splitlines() if line.startswith("- ★ Rollback decision")]
    assert moment.endswith("(decide-rollback approved by Cy, recorded by Ada)"), moment


def test_an_approver_recording_their_own_word_in_another_case_is_not_recorded_by_another(
    tmp_path: Path,
) -> None:
    """`--as ada` deciding `--by Ada` is one person: no "recorded by" beside the name."""
    ada = InProcessCli(tmp_path / "own.db", actor="ada")
    incident_id = ada.ok(
        "declare", "--title", "Search timeouts", "--severity", "SEV3", "--commander", "Ada"
    ).strip()
    ada.ok("decide", incident_id, "--reason", REASON, "--by", "Ada")
    assert "recorded by" not in ada.ok("brief", incident_id)
    assert "recorded by" not in ada.ok("export", incident_id)


def test_decide_without_by_is_the_person_deciding_and_refused_out_of_command(
    tmp_path: Path,
) -> None:
    """Cy took command; Ada's `decide` without `--by` is Ada's decision, as the TUI's
    decision form (By prefilled with the person at the screen) records it. It recorded
    Cy's approval in Cy's name, "recorded by Ada", and the two faces disagreed. Ada
    no longer holds the role the gate names (ux_review7 F7), so it is refused, saying
    the way on; Cy's word, recorded by Ada, goes through."""
    ada = InProcessCli(tmp_path / "shared.db", actor="Ada")
    incident_id = ada.ok(
        "declare", "--title", "Search timeouts", "--severity", "SEV3", "--commander", "Ada"
    ).strip()
    InProcessCli(tmp_path / "shared.db", actor="Cy").ok("handoff", incident_id, "Cy")
    refused = ada.run("decide", incident_id, "--reason", REASON)
    assert (refused.code, refused.err) == (
        2,
        "lastgood decide: the rollback decision (decide-rollback) needs incident-commander "
        "approval, and Cy holds the incident-commander role, not Ada: hand command to Ada "
        "first (handoff), or record Cy's word (--by Cy)\n",
    )
    assert "approved decide-rollback" not in ada.ok("brief", incident_id)
    ada.ok("decide", incident_id, "--reason", REASON, "--by", "Cy")
    brief = ada.ok("brief", incident_id)
    assert f"approved decide-rollback (Cy, recorded by Ada): {REASON}" in brief, brief
