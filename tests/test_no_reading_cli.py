"""Why a probe has no reading, as `status`, `status --json` and `brief` say it: by the
one rule every face follows (`incident.health.no_reading`).

Three people on one incident of the bundled runbook read three states of the same
probes at the same moment: the coordinator's screen `not polled: default URL`, attach
and serve `no reading recorded yet`, `status` and `brief` `not polled yet` (ux_review6
finding 11). Run as a user runs them: a process each, on a real SQLite file (the
declaration, and the close before the closed one's, in-process).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli
from tests.probe_runbooks import pointed_rollback


def declared(cli: Cli, *runbook: str) -> str:
    args = ("declare", "--title", "Search timeouts", "--severity", "SEV3", "--commander", "Ada")
    return cli.in_process().ok(*args, *runbook).strip()


def line(out: str, start: str) -> str:
    found = [text for text in out.splitlines() if text.startswith(start)]
    assert len(found) == 1, out
    return found[0]


def brief_triggers(out: str) -> str:
    """The brief's `Triggers now:` parts, unwrapped."""
    lines = out.splitlines()
    at = next(n for n, text in enumerate(lines) if text.startswith("Triggers now: "))
    parts = [lines[at].removeprefix("Triggers now: ")]
    parts += [text.strip() for text in lines[at + 1 :] if text.startswith(" " * 14)]
    return "; ".join(parts)


def json_reasons(cli: Cli, incident_id: str) -> dict[str, str | None]:
    """Each trigger's `reason` in `brief --json`, the words the text says in brackets
    after `no data`: it had none, and a script could not tell a probe at its default
    URL from one not polled yet."""
    data = json.loads(cli.ok("brief", incident_id, "--json"))
    return {trigger["id"]: trigger["reason"] for trigger in data["triggers"]}


def test_probes_at_their_defaults_read_as_the_coordinators_screen_says(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "defaults.db", actor="Cy")
    incident_id = declared(cli)
    status = cli.ok("status", incident_id)
    assert line(status, "production: ") == "production: not polled: default URL"
    said = (
        "error-rate no data (not polled: default URL); "
        "health-failing no data (not polled: default URL); core-broken not met"
    )
    assert line(status, "triggers: ") == f"triggers: {said}"
    assert brief_triggers(cli.ok("brief", incident_id)) == said
    default = "not polled: default URL"
    assert json_reasons(cli, incident_id) == {
        "error-rate": default, "health-failing": default, "core-broken": None
    }  # fmt: skip
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert data["production"]["said"] == "not polled: default URL"
    assert data["production"]["polling"] == "never"


def test_pointed_probes_not_polled_yet_and_the_default_one_each_say_so(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "mixed.db", actor="Cy")
    runbook = pointed_rollback(tmp_path / "mixed.yaml", "version")
    incident_id = declared(cli, "--runbook", str(runbook))
    status = cli.ok("status", incident_id)
    assert line(status, "production: ") == (
        "production: health, error-rate not polled yet; version not polled: default URL"
    )
    said = "error-rate no data (not polled yet); health-failing no data (not polled yet)"
    assert line(status, "triggers: ").startswith(f"triggers: {said}; ")
    assert brief_triggers(cli.ok("brief", incident_id)).startswith(said)
    yet = "not polled yet"
    assert json_reasons(cli, incident_id) == {
        "error-rate": yet, "health-failing": yet, "core-broken": None
    }  # fmt: skip
    data = json.loads(cli.ok("status", incident_id, "--json"))
    assert data["production"]["said"] == line(status, "production: ").removeprefix("production: ")
    assert {t["id"]: t["reason"] for t in data["triggers"]} == json_reasons(cli, incident_id)


def test_once_closed_a_probe_never_polled_says_so(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "closed.db", actor="Cy")
    incident_id = declared(cli)
    cli.in_process().ok("close", incident_id, "--force", "--reason", "a drill")
    status = cli.ok("status", incident_id)
    assert not any(text.startswith("production: ") for text in status.splitlines())
    said = "error-rate no data (never polled); health-failing no data (never polled)"
    assert line(status, "triggers: ").startswith(f"triggers: {said}; ")
    assert brief_triggers(cli.ok("brief", incident_id)).startswith(said)
    assert json_reasons(cli, incident_id)["error-rate"] == "never polled"
