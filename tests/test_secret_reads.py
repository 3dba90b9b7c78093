"""Which runbook variables are secrets: by where the runbook uses them, and by name
(`runbooks.secret_reads`). Every `${NAME}` a probe or target read counted: a probe of
`http://${SERVICE}.internal/health` with `SERVICE=checkout` refused every note saying
"checkout" and hid the service's name from a command's output, with no way round."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from runbooks.loading import load_runbook
from runbooks.secret_reads import (
    FRAGMENT,
    HEADER,
    HOST,
    PORT,
    PROBE_PATH,
    QUERY,
    USER_INFO,
    WEBHOOK_HOST,
    WEBHOOK_PATH,
    WHOLE_URL,
    credential_named,
    read_places,
    secret_reads,
    url_places,
    url_secret_parts,
)
from tests.cli_helpers import Cli

SCOPED = """\
runbook: scoped
title: Secrets by where they are used
notify:
  targets:
    - {name: slack, kind: slack, url: "https://hooks.slack.com/services/${SLACK_PATH}"}
    - name: ops
      kind: json
      url: "http://${OPS_USER}:${OPS_PASS}@127.0.0.1:9/hook"
      headers: {Authorization: "Bearer ${HEADER_TOK}"}
probes:
  - {name: checkout, kind: http, url: "http://${SERVICE}.internal:${PORT}/${SERVICE}/health?key=${QUERY_TOK}"}
phases:
  - id: execute
    title: Execute
    steps:
      - id: restart
        title: Restart the service
        kind: command
        command: >-
          echo "svc=$SERVICE port=$PORT hdr=$HEADER_TOK pw=$OPS_PASS user=$OPS_USER
          q=$QUERY_TOK hook=$SLACK_PATH"
"""
VALUES = {
    "SERVICE": "checkout",
    "PORT": "8443",
    "HEADER_TOK": "hdr-Header7Value",
    "OPS_PASS": "pw-UserinfoPass9",
    "OPS_USER": "deploy-bot-user",
    "QUERY_TOK": "qry-QueryValue44",
    "SLACK_PATH": "T0001/B0002/slackpathXYZ",
}
"""None of the names is credential-named: where each is used decides."""
SECRET = {name: value for name, value in VALUES.items() if name not in ("SERVICE", "PORT")}


@pytest.mark.parametrize(
    ("url", "webhook", "places"),
    [
        ("http://${SERVICE}.internal/health", False, [("SERVICE", HOST)]),
        ("http://${SERVICE}.internal/health", True, [("SERVICE", HOST)]),
        ("http://h:${PORT}/x", False, [("PORT", PORT)]),
        ("http://[::1]:${PORT}/x", True, [("PORT", PORT)]),
        ("http://${HOST_PORT}/health", False, [("HOST_PORT", HOST)]),
        ("http://h/${SERVICE}/health", False, [("SERVICE", PROBE_PATH)]),
        ("https://hooks.slack.com/services/${HOOK}", True, [("HOOK", WEBHOOK_PATH)]),
        ("https://${HOOK}", True, [("HOOK", WEBHOOK_HOST)]),  # the path may be in it
        ("https://${HOST}", False, [("HOST", HOST)]),
        ("http://${U}:${P}@h/x", False, [("U", USER_INFO), ("P", USER_INFO)]),
        ("http://h/x?k=${K}", False, [("K", QUERY)]),
        ("http://h/x#${F}", False, [("F", FRAGMENT)]),
        ("${OPS_URL}", True, [("OPS_URL", WHOLE_URL)]),
        ("${BASE:-https://shop.example}/healthz", False, [("BASE", WHOLE_URL)]),
        ("http://[${BAD}/x", False, [("BAD", WHOLE_URL)]),  # cannot be split
    ],
)
def test_each_reference_is_placed_in_its_part_of_the_url(url, webhook, places):
    assert list(url_places(url, webhook=webhook)) == places


def test_a_variable_is_a_secret_by_its_places_or_its_name(tmp_path: Path) -> None:
    path = tmp_path / "scoped.yaml"
    path.write_text(SCOPED)
    runbook = load_runbook(path)
    assert read_places(runbook)["SERVICE"] == [HOST, PROBE_PATH]
    assert read_places(runbook)["HEADER_TOK"] == [HEADER]
    secret = ["SLACK_PATH", "OPS_USER", "OPS_PASS", "HEADER_TOK", "QUERY_TOK"]
    assert secret_reads(runbook) == secret
    named = SCOPED.replace("${SERVICE}.internal", "${SERVICE_TOKEN}.internal")
    path.write_text(named)
    assert "SERVICE_TOKEN" in secret_reads(load_runbook(path))  # its name says so


@pytest.mark.parametrize(
    "name",
    [
        "DEPLOY_CREDS", "GOOGLE_APPLICATION_CREDENTIALS", "STRIPE_KEY", "SSH_KEY",
        "BASIC_AUTH", "NPM_AUTH", "OAUTH_CLIENT", "HTTP_AUTHORIZATION", "SLACK_WEBHOOK",
        "LASTGOOD_SLACK_WEBHOOK", "SENTRY_DSN", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY",
        "PGPASSWORD", "PROBE_KEY",
    ],
)  # fmt: skip
def test_names_that_hold_credentials_are_credential_named(name: str) -> None:
    assert credential_named(name)


@pytest.mark.parametrize(
    "name",
    [
        # Read by the bundled, demo and test runbooks for a host, a port, a path or a
        # whole URL: their place decides, not their name.
        "SERVICE", "HOST", "HOST_PORT", "PORT", "TEAM", "TENANT", "HOME", "PATH", "BASE",
        "CHECKOUT", "CHECKOUT_URL", "HEALTH_URL", "ORDERS_HEALTH_URL", "OPS_URL",
        "STATUS_URL", "HOOK", "HOOK_URL", "TEAM_HOOK", "OPS_HOOK", "PAGE_HOOK", "ENV",
        "DOWN_TO", "ALEMBIC_DOWN_TO", "REV", "QUERY",
        # Common in an engineer's environment, holding no credential.
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "XAUTHORITY", "SSH_AUTH_SOCK", "GPG_KEY",
        "KEYBOARD_LAYOUT", "AWS_ACCESS_KEY_ID", "CREDIT_API_URL", "AUTHOR",
    ],
)  # fmt: skip
def test_names_that_hold_none_are_not(name: str) -> None:
    assert not credential_named(name)


def events(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT payload FROM events ORDER BY seq")]


@pytest.fixture
def scoped(tmp_path: Path) -> tuple[Cli, str]:
    (tmp_path / "scoped.yaml").write_text(SCOPED)
    cli = Cli(tmp_path / "record.db")
    cli.env.update(VALUES)
    incident = cli.in_process().ok(
        "declare", "--runbook", str(tmp_path / "scoped.yaml"), "--title", "T",
        "--severity", "SEV2", "--commander", "A",
    ).strip()  # fmt: skip
    return cli, incident


def test_a_service_name_in_a_probe_s_host_is_recorded_as_typed(scoped) -> None:
    cli, incident = scoped
    done = cli.run("note", incident, "checkout is down")
    assert done.code == 0, done.err
    assert "checkout is down" in events(cli.db)[-1]


@pytest.mark.parametrize("name", sorted(SECRET))
def test_a_header_user_info_query_or_webhook_path_value_is_still_refused(scoped, name) -> None:
    cli, incident = scoped
    before = events(cli.db)
    done = cli.run("note", incident, f"it was {VALUES[name]}")
    assert done.code == 2, done
    assert f"holds the value of ${name}, a secret: not recorded" in done.err
    assert events(cli.db) == before


def test_command_output_keeps_the_service_and_hides_the_secrets(scoped) -> None:
    cli, incident = scoped
    done = cli.run("run", incident, "restart", "--yes")
    assert done.code == 0, done.err
    record = "".join(events(cli.db))
    assert "svc=checkout port=8443 hdr=*** pw=*** user=*** q=*** hook=***" in record
    for value in SECRET.values():
        assert value not in done.out + done.err and value not in record


WHOLE_URLS = """\
runbook: whole
title: Variables that are whole URLs
notify:
  targets:
    - {name: ops, kind: json, url: "${OPS_HOOK_URL}"}
probes:
  - {name: checkout, kind: http, url: "${CHECKOUT_URL}"}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: restart, title: Restart the service}
"""
WHOLE_VALUES = {
    "CHECKOUT_URL": "https://checkout.internal/healthz?key=probeKey12345",
    "OPS_HOOK_URL": "https://hooks.example.com/services/T0001AB/B0002CD/Tok3nTok3nTok3nTok3n",
}


def test_a_whole_url_hides_only_what_can_hold_a_credential() -> None:
    probe = url_secret_parts(WHOLE_VALUES["CHECKOUT_URL"], webhook=False)
    assert probe == ["key=probeKey12345", "probeKey12345"]
    hook = url_secret_parts(WHOLE_VALUES["OPS_HOOK_URL"], webhook=True)
    assert hook == ["T0001AB", "B0002CD", "Tok3nTok3nTok3nTok3n"]
    assert url_secret_parts("https://bot:pw-Secret9@h.example/x", webhook=False) == [
        "bot:pw-Secret9",
        "bot",
        "pw-Secret9",
    ]
    assert url_secret_parts("not a url", webhook=False) == ["not a url"]


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        ("checkout is down at https://checkout.internal/healthz", None),
        ("the hooks.example.com services answer", None),
        ("probe key probeKey12345 leaked", "$CHECKOUT_URL"),
        ("posted to .../Tok3nTok3nTok3nTok3n", "$OPS_HOOK_URL"),
    ],
)
def test_a_whole_url_variable_refuses_its_credentials_not_its_host(
    tmp_path: Path, typed: str, refused: str | None
) -> None:
    """A variable that is a whole URL held the service's host, `https://` and the path
    as secrets (any 8 characters of it): "checkout is down" was refused."""
    (tmp_path / "whole.yaml").write_text(WHOLE_URLS)
    cli = Cli(tmp_path / "record.db")
    cli.env.update(WHOLE_VALUES)
    incident = cli.in_process().ok(
        "declare", "--runbook", str(tmp_path / "whole.yaml"), "--title", "T",
        "--severity", "SEV2", "--commander", "A",
    ).strip()  # fmt: skip
    done = cli.run("note", incident, typed)
    if refused is None:
        assert done.code == 0, done.err
        assert typed in events(cli.db)[-1]
    else:
        assert done.code == 2, done
        assert f"holds the value of {refused}, a secret" in done.err
