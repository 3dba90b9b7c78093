"""`brief` says a skipped verification step verified nothing, as `status` does.

A new commander reading the brief took the Verification phase for done with the
smoke test skipped: status, the strip and the report said "not verified", the brief
said nothing (ux_review7 F2, left open in the thirty-second session).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare


def test_a_skipped_verification_step_is_said_in_the_brief(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "r.db", actor="Ada")
    incident = declare(cli)
    assert "Not verified" not in cli.ok("brief", incident)
    cli.ok("skip", incident, "smoke-test", "--reason", "no test account at hand")
    brief = cli.ok("brief", incident)
    assert "Not verified: smoke-test skipped; confirm-version, check-health open" in brief
    data = json.loads(cli.ok("brief", incident, "--json"))
    assert data["verification"] == {
        "verified": False,
        "skipped": ["smoke-test"],
        "open": ["confirm-version", "check-health"],
    }
    assert data["verification"] == json.loads(cli.ok("status", incident, "--json"))["verification"]
