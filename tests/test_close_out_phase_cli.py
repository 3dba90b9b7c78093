"""Close-out is not under way while the rollback is: what `status` prints.

The guide's Phase 4 has no window ("Once the service is stable, close out the
incident"). The bundled runbook opened it at T+45: an incident back-dated 50 minutes,
nothing done yet, showed three phases OVERDUE and "Communication and Post-Mortem
Prep  (T+45+)  ACTIVE" below them, as if close-out had begun. Close-out now has no
window, and the others count from the declaration: phase 1 is the one under way.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli_helpers import InProcessCli

CLOSE_OUT = "Communication and Post-Mortem Prep  "


def test_close_out_is_upcoming_until_the_service_is_verified(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "close-out.db", actor="Ada")
    started = (datetime.now(UTC) - timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M:%SZ")
    incident_id = cli.ok(
        "declare",
        *("--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"),
        *("--last-good", "2.4.0", "--started-at", started),
    ).strip()

    status = cli.ok("status", incident_id)
    assert "\nDecision and Communication  (T+50" in status and "OVERDUE" not in status
    line = next(row for row in status.splitlines() if row.startswith(CLOSE_OUT))
    assert line == f"{CLOSE_OUT}UPCOMING"
    phases = json.loads(cli.ok("status", incident_id, "--json"))["phases"]
    assert [p["state"] for p in phases][-1] == "upcoming"

    # No probe has polled: what the team saw is the verification steps' evidence.
    cli.ok("check", incident_id, "confirm-version", "--evidence", "kubectl shows 2.4.0")
    cli.ok("check", incident_id, "check-health", "--evidence", "5xx at 0.3% on the dashboard")
    cli.ok("check", incident_id, "smoke-test", "--evidence", "seen working")
    line = next(
        row for row in cli.ok("status", incident_id).splitlines() if row.startswith(CLOSE_OUT)
    )
    assert line == f"{CLOSE_OUT}UPCOMING"  # the rollback itself is still open

    cli.ok("decide", incident_id, "--reason", "error rate 12% > 5%")
    cli.ok("channel", incident_id, "#inc-checkout")  # checks create-channel
    # assess-severity: the decision checked it; assign-commander: the declaration did
    for template in ("announce", "paging", "initiating"):
        cli.ok("send", incident_id, "--template", template)
    cli.ok("check", incident_id, "app-rollback-redeploy", "--evidence", "pipeline #4411")
    cli.ok("db-tier", incident_id, "none", "--reason", "expand-contract")  # checks the step
    line = next(
        row for row in cli.ok("status", incident_id).splitlines() if row.startswith(CLOSE_OUT)
    )
    assert line == f"{CLOSE_OUT}ACTIVE"
