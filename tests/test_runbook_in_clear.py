"""A token sent over plain `http://` to another machine is warned of (ux_review12 #10): a
JSON target's `Authorization: Bearer ${HOOK_SECRET}` to `http://hooks.example.com` passed
`validate` with `ok` and nothing else. One line from `validate` and `declare`; not refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import InProcessCli
from tests.test_json_schemas import assert_valid

PLAIN = """\
runbook: plainhook
title: Tokens on the wire
notify:
  targets:
    - {name: ops, kind: json, url: "http://hooks.example.com/ingest",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
    - {name: safe, kind: json, url: "https://hooks.example.com/ingest",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
    - {name: local, kind: json, url: "http://127.0.0.1:9/ingest",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
    - {name: there, kind: json, url: "http://localhost:9/ingest",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
    - {name: unknown, kind: json, url: "${OPS_URL}", headers: {X-Key: "${HOOK_SECRET}"}}
probes:
  - {name: errors, kind: prometheus, url: "http://admin:${PROM_PASSWORD}@prom.internal:9090",
     query: "sum(rate(x[1m]))"}
  - {name: health, kind: http, url: "http://shop.example/healthz"}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""

WARNING = (
    "warning: probe errors sends $PROM_PASSWORD over plain http:// to prom.internal:9090; "
    "target ops sends $HOOK_SECRET over plain http:// to hooks.example.com: anyone on the "
    "way can read it (use https://)"
)


def test_validate_and_declare_warn_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "plainhook.yaml"
    path.write_text(PLAIN, encoding="utf-8")
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", str(path))
    assert checked.code == 0, checked.err
    assert checked.out.startswith(f"{path}: ok (runbook 'plainhook', 1 phase, 1 step)\n")
    assert checked.err == f"{path}: {WARNING}\n"
    as_data = json.loads(cli.ok("validate", "--json", str(path)))
    assert_valid("validate", as_data)
    assert as_data["files"][0]["warnings"] == [WARNING]
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(path),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert f"lastgood declare: {WARNING}\n" in declared.err


def test_https_and_loopback_are_not_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "fine.yaml"
    path.write_text(
        PLAIN.replace('"http://hooks.example.com/ingest"', '"https://a.example/x"').replace(
            "http://admin:${PROM_PASSWORD}@prom.internal", "http://admin:${PROM_PASSWORD}@[::1]"
        ),
        encoding="utf-8",
    )
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", str(path))
    assert (checked.code, checked.err) == (0, "")
    (entry,) = json.loads(cli.ok("validate", "--json", str(path)))["files"]
    assert entry["warnings"] == []
