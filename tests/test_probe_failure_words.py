"""A failed poll outside the named classes is said in words, never in Python's
(ux_review5, finding 12).

`monitor` printed `ERROR RemoteProtocolError: illegal status line:
bytearray(b'...')`, `ERROR RemoteProtocolError: Invalid URL in location header: ...`
and `BAD JSON invalid JSON: Exceeds the limit (4300 digits) for integer string
conversion: ... use sys.set_int_max_str_digits() ...`: a class name, a repr and a
remedy for Python programmers. A real `monitor` process polls a real loopback server
into a real SQLite file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import Cli, declared_beside, run_beside
from tests.http_servers import Handler, LoopbackServer, Received, Reply, close_mid_body
from tests.probe_runbooks import probe_runbook

INTERNALS = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:Error|Exception)?:|bytearray|b'|sys\.")
"""A Python class name before a colon (`RemoteProtocolError:`), a repr, a remedy in Python."""


async def garbage(request: Received, reply: Reply) -> None:
    await reply.send(b"\x1b[31mNOT HTTP AT ALL\x00\xff\r\n\r\n")
    reply.close_after()


async def bad_location(request: Received, reply: Reply) -> None:
    await reply.head(302, {"Location": "http://example.com/\x1b[31m", "Content-Length": "0"})


def raw_json(body: bytes) -> Handler:
    async def handler(request: Received, reply: Reply) -> None:
        await reply.full(200, body, "application/json")

    return handler


async def test_monitor_says_each_failure_in_words(tmp_path: Path) -> None:
    routes = {
        "/garbage": garbage,
        "/redirect": bad_location,
        "/bigint": raw_json(b'{"version": ' + b"1" * 5000 + b"}"),
        "/rate": raw_json(b'{"rate": ' + b"9" * 5000 + b', "other": 1}'),
        "/cut": close_mid_body,
    }
    async with LoopbackServer(routes) as server:
        base = server.url("").rstrip("/")
        runbook = probe_runbook(
            tmp_path / "words.yaml",
            f"{{name: garbage, kind: http, url: '{base}/garbage'}}",
            f"{{name: redirect, kind: http, url: '{base}/redirect'}}",
            f"{{name: bigint, kind: version, url: '{base}/bigint', json_field: version}}",
            f"{{name: rate, kind: http, url: '{base}/rate', json_field: rate}}",
            f"{{name: cut, kind: http, url: '{base}/cut'}}",
        )
        cli = Cli(tmp_path / "words.db", actor="ada")

        incident_id = await declared_beside(
            cli,
            *("--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        )
        done = await run_beside(cli, "monitor", incident_id, "--for", "0.5")
    assert done.code == 0, done.err
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    details = {
        sample["probe"]: f"{sample['outcome']} {sample.get('detail', '')}"
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    }
    assert details == {
        "garbage": "error the server closed the connection or answered something that is not HTTP",
        "redirect": "error a redirect to a Location that is not a valid URL (not followed)",
        "bigint": "bad_json field 'version' is Infinity, not a version",
        "rate": "no_data field 'rate' is not finite",
        "cut": "error the connection closed before the whole body came",
    }
    assert not INTERNALS.search(done.out), done.out
    assert "garbage ERROR the server closed the connection" in done.out
