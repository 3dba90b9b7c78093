"""`list --json` carries what comparing incidents needs: the times from the declaration
to the decision, the rollback, the verification and the resolution, and each phase's
result (ux_review16 #14: a comparison meant jq over two exports).

The figures are the report's own (`milestones`, `phase_results`) on the state `list`
already folds, so they equal the export's, and reading them asks the record nothing
more. On real SQLite files, through the same `main` a script runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare
from tests.scenario_copies import scenario_copy

KEYS = {
    "to_decision_s": "rollback_decision",
    "to_rollback_s": "app_rolled_back",
    "to_verified_s": "service_verified",
    "to_resolved_s": "resolved",
}


def test_a_closed_incident_lists_the_exports_figures(tmp_path: Path) -> None:
    db = tmp_path / "closed.db"
    scenario_copy("closed", db).log.close()
    cli = InProcessCli(db)
    (listed,) = json.loads(cli.ok("list", "--json"))
    export = json.loads(cli.ok("export", listed["id"], "--format", "json"))
    moments = {m["key"]: m["from_declaration_s"] for m in export["impact"]["milestones"]}
    for name, key in KEYS.items():
        assert listed[name] == moments[key] and isinstance(listed[name], float), name
    assert listed["to_decision_s"] < listed["to_rollback_s"] < listed["to_verified_s"]
    assert [(p["id"], p["result"]) for p in listed["phases"]] == [
        (p["id"], p["result"]) for p in export["phase_results"]
    ]
    assert [p["on_time"] for p in listed["phases"]][:3] == [False, True, True]
    assert listed["phases"][0]["result"].startswith("done ")  # phase 1 late: "done …s late"


def test_an_open_incident_lists_nulls_for_what_has_not_happened(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "open.db")
    declare(cli)
    (listed,) = json.loads(cli.ok("list", "--json"))
    assert {name: listed[name] for name in KEYS} == dict.fromkeys(KEYS)
    assert listed["phases"][0]["on_time"] is None and listed["phases"][0]["result"]


def test_the_plain_list_loads_no_report(tmp_path: Path) -> None:
    """The figures are loaded for `--json` alone: the table `list` prints starts as it
    did, without the report's modules (tests/test_cli_startup.py's harness)."""
    from tests.test_cli_startup import declared, loaded, modules

    db = tmp_path / "plain.db"
    declared(db)
    report = ("incident.reports.milestones", "incident.reports.impact")
    plain = loaded(tmp_path, "run", "list", db=db)
    assert plain["code"] == 0, plain["stderr"]
    assert [name for name in modules(plain, "exit") if name.startswith(report)] == []
    asked = loaded(tmp_path, "run", "list", "--json", db=db)
    assert asked["code"] == 0, asked["stderr"]
    assert set(report) <= set(modules(asked, "exit"))
