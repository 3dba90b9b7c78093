"""Messages from the CLI on a PostgreSQL record: queued in its outbox and delivered, a
receiver's refusal with a NUL in it kept, and `monitor` refused at start by a role that
cannot write the outbox. Against real receivers and this worker's real cluster."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli, declare
from tests.one_line import one_line
from tests.postgres_server import Cluster
from tests.store_backends import postgres_backend


async def test_messages_are_queued_and_delivered_through_the_database(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The CLI's courier on PostgreSQL: declare sends the auto message, `deliver` retries
    and re-sends, the outbox rows are in the database (as tests/test_cli_messages.py on a file)."""
    from tests.test_cli_messages import RUNBOOK, run
    from tests.test_cli_messages import declare as declare_with
    from tests.webhook_receivers import WebhookReceiver, fail_first

    async with WebhookReceiver(fail_first(2)) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK)
        cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
        cli.env["HOOK"] = hook.url()
        declared = await declare_with(cli, str(runbook))
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert "1 message not delivered yet" in declared.err
        failed = await run(cli, "deliver", incident_id, "--attempts", "2", "--wait", "5")
        assert failed.code == 1
        assert "Delivery to team FAILED after 2 tries: HTTP 500" in failed.out
        resent = await run(cli, "deliver", incident_id, "--resend-failed", "--wait", "5")
        assert resent.code == 0, resent.err
        assert "every message is delivered" in resent.out
        assert len(hook.accepted_keys()) == 1
    stored = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT status || ' ' || attempts FROM outbox"
    )
    assert stored == "delivered 1"


TWO_TARGETS = """\
runbook: two-targets
title: Two receivers
templates:
  initiating: "Initiating rollback due to {issue}."
notify:
  targets:
    - {name: ops, kind: json, url: "${OPS_HOOK}"}
    - {name: team, kind: slack, url: "${TEAM_HOOK}"}
  send:
    initiating: {to: [ops, team], on: declared, mode: auto}
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""


async def test_a_nul_in_one_receivers_refusal_costs_neither_message(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """One receiver answers 500 with a NUL in its body, the other 200, in the same round.
    PostgreSQL refused to store the NUL: the round's results were all thrown away (ops
    had its 200 and was sent the message again), and team's was re-sent forever."""
    from tests.http_servers import LoopbackServer, raw_route
    from tests.test_cli_messages import declare as declare_with
    from tests.test_cli_messages import events, run

    routes = {"/ops": raw_route(b"ok", 200), "/team": raw_route(b"bad\x00thing happened", 500)}
    async with LoopbackServer(routes) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(TWO_TARGETS)
        cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
        cli.env.update(OPS_HOOK=hook.url("/ops"), TEAM_HOOK=hook.url("/team"))
        declared = await declare_with(cli, str(runbook))
        assert declared.code == 0, declared.err
        assert "sending what is due failed" not in declared.err, declared.err
        incident_id = declared.out.splitlines()[0]
        failed = await run(cli, "deliver", incident_id, "--attempts", "1", "--wait", "10")
        assert failed.code == 1, failed.err
        assert (
            "Delivery to team FAILED after 2 tries: "
            "HTTP 500 (expected 2xx): bad\u2400thing happened" in (failed.out)
        )
    assert [r.path for r in hook.requests].count("/ops") == 1
    recorded = events(cli, incident_id)
    outcomes = [
        (e["kind"], e["payload"]["target"])  # type: ignore[index]
        for e in recorded
        if e["kind"] in ("notification.delivered", "notification.failed")
    ]
    assert outcomes == [("notification.delivered", "ops"), ("notification.failed", "team")]
    stored = postgres_backend(pg_cluster, pg_url).owner_sql(
        "SELECT target || ' ' || status || ' ' || attempts FROM outbox ORDER BY target"
    )
    assert stored.splitlines() == ["ops delivered 1", "team failed 2"]


def test_monitor_refuses_at_start_for_a_role_that_cannot_write_the_outbox(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """It said "deliveries paused: … permission denied for table outbox; trying again"
    and tried every half second for as long as it ran."""
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(TWO_TARGETS)
    owner = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
    owner.env.update(OPS_HOOK="http://127.0.0.1:9/ops", TEAM_HOOK="http://127.0.0.1:9/team")
    incident_id = declare(owner, "--runbook", str(runbook))
    from tests.outbox.test_store_outage import as_reader

    read_only = Cli(as_reader(pg_cluster, pg_url, "test_monitor_reader"), actor="bo")  # type: ignore[arg-type]
    read_only.env.update(OPS_HOOK="http://127.0.0.1:9/ops", TEAM_HOOK="http://127.0.0.1:9/team")
    result = read_only.run("monitor", incident_id, "--for", "20")
    assert result.code == 2, (result.out, result.err)
    line = one_line(result.err)
    assert "cannot deliver: this role cannot write the outbox" in line
    assert "deliveries paused" not in result.out + result.err
