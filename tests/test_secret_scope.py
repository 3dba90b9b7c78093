"""One answer for the whole runbook (`runbooks.secret_reads`): a variable that is a
secret anywhere is hidden everywhere, in typed text, command output and every probe's
and webhook's error lines; a webhook's path hides only its token-like segments; a
credential-named variable holding a file's path is no secret by its name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from incident.comms.notifications import webhook_target
from incident.core.secrets import redact, secrets_for
from runbooks.loading import load_runbook
from runbooks.secret_reads import names_a_file, secret_values, why_secret
from tests.cli_helpers import Cli
from tests.http_servers import LoopbackServer, Received, Reply
from tests.probing.helpers import assert_clean, poll

SHARED = """\
runbook: shared
title: One variable, a probe's path here and a header there
notify:
  targets:
    - {name: ops, kind: json, url: "https://${ZONE}.ops.example/hook",
       headers: {X-Ops-Signature: "${HOOK_SIG}"}}
probes:
  - {name: version, kind: version, url: "http://127.0.0.1:${PORT}/${ZONE}/${HOOK_SIG}/v"}
  - {name: keyed, kind: http, url: "http://127.0.0.1:${PORT}/health",
     headers: {X-Zone: "${ZONE}"}}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: restart, title: Restart the service}
"""
ZONE = "Zone-Shared-4417"
"""The version probe's path, the keyed probe's header: a secret (a header)."""
HOOK_SIG = "hooksig-ABCDEF-123456"
"""Only the webhook target's header: a secret the version probe's path also reads."""


def events(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT payload FROM events ORDER BY seq")]


def declared(tmp_path: Path, text: str, env: dict[str, str]) -> tuple[Cli, str]:
    (tmp_path / "runbook.yaml").write_text(text)
    cli = Cli(tmp_path / "record.db")
    cli.env.update(env)
    incident = cli.ok(
        "declare", "--runbook", str(tmp_path / "runbook.yaml"), "--title", "T",
        "--severity", "SEV2", "--commander", "A",
    ).strip()  # fmt: skip
    return cli, incident


async def test_a_secret_of_another_request_is_hidden_from_a_probe_s_own_lines(
    tmp_path: Path,
) -> None:
    """`${ZONE}` is the version probe's path (no secret there) and the keyed probe's
    header (a secret); `${HOOK_SIG}` a webhook's header. Typed text holding either was
    refused, but the version probe's own text showed both: its request alone decided."""

    async def echo_path(request: Received, reply: Reply) -> None:
        await reply.full(200, f"build at {request.path}".encode())

    path = f"/{ZONE}/{HOOK_SIG}/v"
    async with LoopbackServer({path: echo_path}) as server:
        env = {"PORT": str(server.port), "ZONE": ZONE, "HOOK_SIG": HOOK_SIG}
        (tmp_path / "shared.yaml").write_text(SHARED)
        probe = load_runbook(tmp_path / "shared.yaml").probes[0]
        async with httpx.AsyncClient() as client:
            sample = await poll(client, probe, env=env)
    assert sample.text == "build at /***/***/v"
    assert_clean(sample, ZONE, ZONE.lower(), HOOK_SIG)


def test_the_same_variables_are_refused_in_typed_text(tmp_path: Path) -> None:
    cli, incident = declared(tmp_path, SHARED, {"PORT": "9", "ZONE": ZONE, "HOOK_SIG": HOOK_SIG})
    before = events(cli.db)
    for name, value in (("ZONE", ZONE), ("HOOK_SIG", HOOK_SIG)):
        done = cli.run("note", incident, f"zone {value} answers")
        assert done.code == 2, done
        assert f"holds the value of ${name}, a secret: not recorded" in done.err
    assert events(cli.db) == before


def test_a_webhook_s_lines_hide_a_secret_of_a_probe(tmp_path: Path) -> None:
    """The target's host reads `${ZONE}`, which only a probe's header makes a secret."""
    (tmp_path / "shared.yaml").write_text(SHARED)
    target = webhook_target(load_runbook(tmp_path / "shared.yaml").notify_targets[0])
    env = {"ZONE": ZONE, "HOOK_SIG": HOOK_SIG}
    secrets = secrets_for(target.url, target.headers, env, webhook=True, uses=target.uses)
    line = f"cannot resolve host {ZONE.lower()}.ops.example"
    assert redact(line, secrets) == "cannot resolve host ***.ops.example"
    alone = secrets_for(target.url, target.headers, env, webhook=True)
    assert redact(line, alone) == line  # its own request: a host is no secret


WEBHOOK_PATHS = """\
runbook: paths
title: Variables in webhooks' paths
notify:
  targets:
    - {name: slack, kind: slack, url: "https://hooks.slack.com/services/T0001AB/B0002CD/${TOKEN}"}
    - {name: team, kind: slack, url: "https://hooks.slack.com/services/${TEAM_PATH}"}
    - {name: ops, kind: json, url: "https://ops.example/hooks/${SERVICE}/alerts"}
phases:
  - id: execute
    title: Execute
    steps:
      - id: restart
        title: Restart the service
        kind: command
        command: echo "svc=$SERVICE path=$TEAM_PATH"
"""
PATH_VALUES = {
    "TOKEN": "xoxbTok3nValue9876",
    "TEAM_PATH": "T0009ZZ/B0008YY/teamHookSecret42",
    "SERVICE": "checkout",
}


def test_a_webhook_path_hides_its_token_like_segments_only(tmp_path: Path) -> None:
    """`/hooks/${SERVICE}/alerts` made SERVICE a secret: "Checkout 5xx" was refused."""
    cli, incident = declared(tmp_path, WEBHOOK_PATHS, PATH_VALUES)
    done = cli.run("note", incident, "Checkout 5xx since the deploy")
    assert done.code == 0, done.err
    assert "Checkout 5xx since the deploy" in events(cli.db)[-1]
    for name, typed in (("TOKEN", PATH_VALUES["TOKEN"]), ("TEAM_PATH", "teamHookSecret42")):
        refused = cli.run("note", incident, f"posted to .../{typed}")
        assert refused.code == 2, refused
        assert f"holds the value of ${name}, a secret" in refused.err
    ran = cli.run("run", incident, "restart", "--yes")
    assert ran.code == 0, ran.err
    assert "svc=checkout path=***/***/***" in "".join(events(cli.db))


def test_which_parts_of_a_webhook_path_variable_are_secret() -> None:
    path = ["a webhook's URL path"]
    assert secret_values("SERVICE", path, "checkout", webhook=True) == []
    assert secret_values("PART", path, "T0001/B0002/tok?sig=abcd", webhook=True) == [
        "sig=abcd",
        "abcd",
        "T0001",
        "B0002",
    ]
    assert secret_values("TOKEN", path, "checkout", webhook=True) == ["checkout"]  # by name
    host = ["a webhook's URL host and path"]
    assert secret_values("HOOK", host, "hooks.example.com/x/Tok3nA", webhook=True) == ["Tok3nA"]
    assert secret_values("HOOK", host, "u:pass1@hooks.example.com", webhook=True) == [
        "u:pass1",
        "u",
        "pass1",
    ]
    assert why_secret("SERVICE", path) == "a webhook's URL path: its token-like segments"


def test_a_credential_named_variable_holding_a_file_s_path_is_no_secret_by_name(
    tmp_path: Path,
) -> None:
    """`GOOGLE_APPLICATION_CREDENTIALS` names the file that holds the key: every note and
    command line holding `/home/…/` was refused or hidden. A token shaped like a path
    (base64 may start with `/`) names no file, and stays a secret."""
    key = tmp_path / "gcloud" / "application_default_credentials.json"
    key.parent.mkdir()
    key.write_text("{}")
    printing = WEBHOOK_PATHS.replace(
        'echo "svc=$SERVICE path=$TEAM_PATH"', 'echo "key=$GOOGLE_APPLICATION_CREDENTIALS"'
    )
    cli, incident = declared(
        tmp_path, printing, {**PATH_VALUES, "GOOGLE_APPLICATION_CREDENTIALS": str(key)}
    )
    done = cli.run("note", incident, f"the key file is {key}")
    assert done.code == 0, done.err
    ran = cli.run("run", incident, "restart", "--yes")
    assert ran.code == 0, ran.err
    assert f"key={key}" in "".join(events(cli.db))
    cli.env["GOOGLE_APPLICATION_CREDENTIALS"] = "/9j/4AAQSkZJRgABAQAAAQ"
    refused = cli.run("note", incident, "it was /9j/4AAQSkZJRgABAQAAAQ")
    assert refused.code == 2, refused
    assert "holds the value of $GOOGLE_APPLICATION_CREDENTIALS, a secret" in refused.err
    assert names_a_file(str(key)) and not names_a_file("/9j/4AAQSkZJRgABAQAAAQ")
    assert not names_a_file("relative/key.json") and not names_a_file(f"{key}\n")
