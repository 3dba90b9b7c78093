"""A body a response may not have is never read as the next answer (ux_review5,
finding 13).

A `204 No Content` with `Content-Length: 59` and a whole `HTTP/1.1 200 OK` response
as its body: the client rightly reads no body after a 204, and the pooled connection
kept those bytes, so the next poll on it read them as its own answer (`smuggle HTTP
200 (expected 204)`, every other reading). A real `monitor` process polls a real
loopback server into a real SQLite file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import Cli, declared_beside, run_beside
from tests.http_servers import LoopbackServer, Received, Reply
from tests.probe_runbooks import probe_runbook

SMUGGLED = b'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{"version": "6.6.6"}'


async def smuggle(request: Received, reply: Reply) -> None:
    head = b"HTTP/1.1 204 No Content\r\nContent-Length: %d\r\n\r\n" % len(SMUGGLED)
    await reply.send(head + SMUGGLED)


async def test_each_poll_reads_its_own_answer_after_a_204_with_a_body(tmp_path: Path) -> None:
    async with LoopbackServer({"/smuggle": smuggle}) as server:
        runbook = probe_runbook(
            tmp_path / "smuggle.yaml",
            f"{{name: smuggle, kind: http, url: '{server.url('/smuggle')}',"
            " expect_status: 204, interval_s: 1}",
        )
        cli = Cli(tmp_path / "smuggle.db", actor="ada")

        incident_id = await declared_beside(
            cli,
            *("--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        )
        done = await run_beside(cli, "monitor", incident_id, "--for", "2.5")
        asked = len(server.requests)
    assert done.code == 0, done.err
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    samples = [
        sample
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    ]
    assert len(samples) >= 2
    assert [(s["outcome"], s["http_status"]) for s in samples] == [("ok", 204)] * len(samples)
    assert asked == len(samples)  # each answer came from its own request
    assert "HTTP 200" not in done.out


WEBHOOK_RUNBOOK = """\
runbook: stray-hook
title: Stray hook
templates:
  initiating: "Initiating rollback."
  update: "Still rolling back."
notify:
  targets:
    - {name: ops, kind: json, url: "${HOOK}"}
  send:
    initiating: {to: [ops], on: declared, mode: auto}
    update: [ops]
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""
REFUSAL = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom"


async def hook_304(request: Received, reply: Reply) -> None:
    head = b"HTTP/1.1 304 Not Modified\r\nContent-Length: %d\r\n\r\n" % len(REFUSAL)
    await reply.send(head + REFUSAL)


async def test_each_delivery_reads_its_own_answer_after_a_304_with_a_body(tmp_path: Path) -> None:
    """A receiver's refusal is read (a 2xx is not, and its connection is not kept), so a
    refusal that may have no body is where stray bytes stayed on the connection."""
    async with LoopbackServer({"/hook": hook_304}) as server:
        runbook = tmp_path / "hook.yaml"
        runbook.write_text(WEBHOOK_RUNBOOK)
        cli = Cli(tmp_path / "hook.db", actor="ada")
        cli.env["HOOK"] = server.url("/hook")

        incident_id = await declared_beside(
            cli,
            *("--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        )
        for _ in range(2):
            sent = await run_beside(cli, "send", incident_id, "--template", "update")
            assert sent.code == 0, sent.err
        delivered = await run_beside(cli, "deliver", incident_id, "--attempts", "2", "--wait", "10")
        asked = len(server.requests)
    failed = [line for line in delivered.out.splitlines() if "FAILED" in line]
    assert len(failed) == 3, delivered
    assert all(line.endswith(": HTTP 304 (expected 2xx)") for line in failed), delivered
    # Each try answered by a request of its own (a stray body read as the next answer
    # would be a try no request was made for). Tries, not 3 x 2: a send may try first.
    tries = [int(re.search(r"after (\d+) tries", line)[1]) for line in failed]  # type: ignore[index]
    assert asked == sum(tries), (asked, tries)
