"""Whatever text a probed service sends is recorded and shown as data (ux_review5,
finding 11).

A JSON string may spell a lone surrogate (`"\\ud800"`): valid JSON text, which Python
decodes to a code point UTF-8 cannot encode. A version probe reading one made the
store refuse the whole tick: `monitor` died with a traceback, the healthy probe's
samples were lost with it, and every later run died the same way. Real `monitor`
processes poll a real loopback server into a real SQLite file.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, declared_beside, run_beside
from tests.http_servers import Handler, LoopbackServer, Received, Reply, json_route
from tests.probe_runbooks import probe_runbook

VERSION = b'{"version": "\\ud800\\udc00 \\ud800"}'
"""A pair (U+10000) and a lone high surrogate, as a JSON string spells them."""
PROMETHEUS_ERROR = b'{"status": "error", "errorType": "bad_data", "error": "boom \\udfff"}'


def _raw(body: bytes) -> Handler:
    async def handler(request: Received, reply: Reply) -> None:
        await reply.full(200 if b"version" in body else 400, body, "application/json")

    return handler


def _runbook(tmp_path: Path, port: int) -> Path:
    base = f"http://127.0.0.1:{port}"
    return probe_runbook(
        tmp_path / "surrogates.yaml",
        f"{{name: health, kind: http, url: '{base}/ok', interval_s: 1}}",
        f"{{name: version, kind: version, url: '{base}/j', json_field: version, interval_s: 1}}",
        f"{{name: errors, kind: prometheus, url: '{base}', query: up, interval_s: 1}}",
    )


async def test_monitor_records_a_lone_surrogate_as_text_and_keeps_polling(
    tmp_path: Path,
) -> None:
    routes = {
        "/ok": json_route({"status": "ok"}),
        "/j": _raw(VERSION),
        "/api/v1/query": _raw(PROMETHEUS_ERROR),
    }
    async with LoopbackServer(routes) as server:
        cli = Cli(tmp_path / "surrogates.db", actor="ada")
        runbook = _runbook(tmp_path, server.port)

        incident_id = await declared_beside(
            cli,
            *("--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        )
        first = await run_beside(cli, "monitor", incident_id, "--for", "1.5")
        again = await run_beside(cli, "monitor", incident_id, "--for", "0.5")

    for done in (first, again):
        assert done.code == 0, done.err
        assert "Traceback" not in done.err
    assert "version 𐀀 \\ud800" in first.out
    assert "health OK" in first.out
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    samples = [
        sample
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    ]
    assert len([s for s in samples if s["probe"] == "health"]) >= 3
    versions = {s["text"] for s in samples if s["probe"] == "version"}
    assert versions == {"𐀀 \\ud800"}
    errors = {s["detail"] for s in samples if s["probe"] == "errors"}
    assert errors == {"Prometheus error (bad_data): boom \\udfff"}
    assert "errors ERROR Prometheus error (bad_data): boom \\udfff" in first.out
    assert "production: not polled yet" not in cli.ok("status", incident_id)
    assert "ok," in cli.ok("verify", incident_id)
