"""`status` and `brief` say what this machine's spool keeps for the incident: a screen
that ended during an outage left it, and nothing else tells a script it is there."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from incident.app.kept import KeptIntent, encode, nothing_kept, with_intent
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from store.spool import SpoolFile
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli


def test_status_and_brief_say_what_a_screen_kept_here(tmp_path: Path) -> None:
    db = tmp_path / "kept.db"
    cli = Cli(db, actor="ada")
    cli.env["XDG_STATE_HOME"] = str(tmp_path / "xdg")
    incident = cli.ok("declare", "--title", "t", "--severity", "SEV2", "--commander", "A")
    incident = incident.strip()
    assert "kept by a screen" not in cli.ok("status", incident)
    assert json.loads(cli.ok("status", incident, "--json"))["kept_here"] is None
    assert json.loads(cli.ok("brief", incident, "--json"))["kept_here"] is None

    with SqliteEventLog.open(db) as log:
        state = IncidentSession(log, incident, SystemClock()).state
    then = state.declared_at + timedelta(seconds=1)
    kept = with_intent(nothing_kept(state), KeptIntent("ada", "note", {"text": "n"}, then))
    check = KeptIntent("ada", "check", {"step": "assess-severity", "evidence": "e"}, then)
    kept = with_intent(kept, check)
    spool = SpoolFile.of(tmp_path / "xdg" / "lastgood" / "spool", state.id, state.declared_at)
    spool.write(encode(kept))

    said = "1 note and 1 check kept by a screen, recorded when a screen next opens it"
    status = cli.ok("status", incident)
    assert f"Not recorded yet: {said}" in status
    assert f"Not recorded yet: {said} ({spool.path})" in cli.ok("brief", incident)
    assert json.loads(cli.ok("status", incident, "--json"))["kept_here"].startswith(said)
    assert json.loads(cli.ok("brief", incident, "--json"))["kept_here"].startswith(said)
    assert spool.path.read_bytes() == encode(kept)  # read, not changed
