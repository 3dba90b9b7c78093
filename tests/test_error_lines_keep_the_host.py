"""Probe and webhook error lines hide what the one secret rule calls a secret, and
only that (`runbooks.secret_reads`).

Every `${NAME}` value a probe or a webhook target read was hidden from its error
lines: a probe of `http://${SHOP_HOST}:PORT/${SERVICE}/health` with `SERVICE=checkout`
showed `*** is down at ***:PORT/***/health` in `monitor`, `status`, the record and the
report, while a note saying "checkout is down" was accepted. A real `monitor` and
`deliver` against a real loopback server answering 500 with an error that quotes the
request: the host and the service's name stay, the header token and the query token
do not.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, run_beside
from tests.http_servers import LoopbackServer, Received, Reply

ENV = {
    "SHOP_HOST": "127.0.0.1",
    "SERVICE": "checkout",
    "KEY": "qk-Zr81mWq4Lp",
    "TOKEN": "hd-Vb27nTy9Xe",
    "HOOK_QUERY": "wq-Pm63sKd2Hc",
}
HIDDEN = ("KEY", "TOKEN", "HOOK_QUERY")

RUNBOOK = """\
runbook: hosts
title: Hosts stay, tokens go
templates:
  initiating: "Initiating rollback due to {issue}."
notify:
  targets:
    - name: team
      kind: json
      url: "http://${SHOP_HOST}:@PORT@/hook?token=${HOOK_QUERY}"
  send:
    initiating: {to: [team], on: declared, mode: auto}
probes:
  - name: errors
    kind: prometheus
    url: "http://${SHOP_HOST}:@PORT@/${SERVICE}/prom?tenant=${KEY}"
    query: up
    headers: {Authorization: "Bearer ${TOKEN}"}
    interval_s: 1
    timeout_s: 5
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""


async def down(request: Received, reply: Reply) -> None:
    """A careless server's 500: it quotes the host, the path, the query and the token
    (a Prometheus error to a probe's query)."""
    said = (
        f"{ENV['SERVICE']} is down at {request.headers.get('host', '')}{request.path}"
        f"?{'&'.join(request.query.values())} for {request.headers.get('authorization', '')}"
    )
    if request.method == "POST":
        await reply.full(500, said.encode())
    else:
        await reply.json({"status": "error", "errorType": "internal", "error": said}, 500)


class EveryPath(dict[str, object]):
    def get(self, key: str, default: object = None) -> object:
        return down


async def test_error_lines_keep_the_host_and_hide_the_tokens(tmp_path: Path) -> None:
    async with LoopbackServer(EveryPath()) as server:  # type: ignore[arg-type]
        host = f"127.0.0.1:{server.port}"
        runbook = tmp_path / "hosts.yaml"
        runbook.write_text(RUNBOOK.replace("@PORT@", str(server.port)))
        cli = Cli(tmp_path / "incident.db", actor="ada")
        cli.env.update(ENV)
        declared = await run_beside(
            cli,
            "declare",
            *("--title", "Checkout 5xx", "--severity", "SEV2", "--commander", "Ada"),
            *("--issue", "checkout errors", "--runbook", str(runbook)),
        )
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        monitored = await run_beside(cli, "monitor", incident_id, "--for", "0.5")
        delivered = await run_beside(cli, "deliver", incident_id, "--attempts", "1", "--wait", "5")
        wire = list(server.requests)
    assert monitored.code == 0, monitored.err
    assert {r.headers.get("authorization") for r in wire} >= {f"Bearer {ENV['TOKEN']}"}

    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    sample = next(
        s for e in record["events"] if e["kind"] == "probe.samples" for s in e["payload"]["samples"]
    )
    assert sample["detail"] == (
        f"Prometheus error (internal): checkout is down at {host}/checkout/prom/api/v1/query"
        "?***&up for Bearer ***"
    )
    failed = [e["payload"] for e in record["events"] if e["kind"] == "notification.failed"]
    error = failed[0]["error"]
    assert error == f"HTTP 500 (expected 2xx): checkout is down at {host}/hook?*** for"

    cli.ok("note", incident_id, "checkout is down at 127.0.0.1")  # a typed note says the same
    status = cli.ok("status", incident_id)
    report = cli.ok("export", incident_id)
    shown = {"monitor": monitored.out, "status": status, "report": report, "deliver": delivered.out}
    probed, hooked = f"checkout is down at {host}/checkout/prom", f"checkout is down at {host}/hook"
    for face, text in shown.items():
        assert (probed if face in ("monitor", "status") else hooked) in text, (face, text)
    for face, text in [*shown.items(), ("record", json.dumps(record))]:
        for name in HIDDEN:
            assert ENV[name] not in text, (face, name)
