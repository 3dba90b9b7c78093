"""Secrets from the environment reach the wire and nowhere else, end to end.

A runbook whose probes and webhook targets take secrets from `${NAME}` in every place
a URL and a request can hold one: the host (a DNS name under .invalid), the path,
the query, a header, a URL whose port makes httpx quote it in its exception, and a
server that echoes the Authorization header in an error body long enough for the
token to straddle the cut. Real `lastgood` processes declare, monitor and deliver;
then the database file (and its -wal), every export and every output line are
searched for each secret and for every 8-character piece of it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

import httpx

from incident.core.secrets import DETAIL_MAX_CHARS, PIECE_CHARS
from tests.cli_helpers import Cli, run_beside
from tests.http_servers import LoopbackServer, Received, Reply

SECRETS = {
    "HOST_SECRET": "Hst7SecretQz9LmWx",
    "PATH_SECRET": "Pth9xQ|SecretK2Vb",
    "QUERY_SECRET": "Qry+8/kTsecret=Zz",
    "HEADER_SECRET": "Hdr.eyJhbGciOi.Tok3nZq81",
    "PORT_SECRET": "Exc3ptionSecretR5t",
}
CUT_INTO = 10
"""How many characters of an echoed token fall before a cut: more than 8, so a
redactor that cuts first leaves a piece the search below finds."""
OLD_PEEK_CUT = 60
"""Where lastgood once cut a receiver's answer, before redacting it."""

RUNBOOK = """\
runbook: secrets
title: Secrets stay in the environment
templates:
  initiating: "Initiating rollback due to {issue}."
notify:
  targets:
    - name: echo
      kind: json
      url: "http://127.0.0.1:@PORT@/hook/${PATH_SECRET}?token=${QUERY_SECRET}"
      headers: {Authorization: "Bearer ${HEADER_SECRET}"}
    - {name: dns, kind: json, url: "http://${HOST_SECRET}.invalid/hook"}
    - {name: port, kind: slack, url: "http://${HOST_PORT}/hook"}
  send:
    initiating: {to: [echo, dns, port], on: declared, mode: auto}
probes:
  - name: echo-prom
    kind: prometheus
    url: "http://127.0.0.1:@PORT@/prom/${PATH_SECRET}?tenant=${QUERY_SECRET}"
    query: up
    headers: {Authorization: "Bearer ${HEADER_SECRET}"}
    interval_s: 1
    timeout_s: 5
  - name: echo-version
    kind: version
    url: "http://127.0.0.1:@PORT@/version?key=${QUERY_SECRET}"
    headers: {Authorization: "Bearer ${HEADER_SECRET}"}
    interval_s: 1
    timeout_s: 5
  - {name: dns, kind: http, url: "http://${HOST_SECRET}.invalid/health", timeout_s: 5}
  - {name: port, kind: http, url: "http://${HOST_PORT}/health", timeout_s: 5}
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""


def pad_before_token(prefix: str) -> str:
    """Filler that puts the token `CUT_INTO` characters before the line's cut."""
    return "x" * (DETAIL_MAX_CHARS - 1 - len(prefix) - len(" Bearer ") - CUT_INTO)


async def echo(request: Received, reply: Reply) -> None:
    """Answer as a careless server does: an error that quotes the request."""
    auth = request.headers.get("authorization", "")
    said = f"{request.path}?{json.dumps(request.query)}"
    if request.path.endswith("/api/v1/query"):
        message = f"{pad_before_token('Prometheus error (internal): ')} {auth} for {said}"
        await reply.json({"status": "error", "errorType": "internal", "error": message}, 500)
    elif request.path == "/version":
        await reply.full(200, ("v" * (200 - 1 - len("Bearer ") - CUT_INTO) + auth).encode())
    else:  # one token across the old cut of the body, one across the line's cut
        early = "x" * (OLD_PEEK_CUT - 1 - len(" Bearer ") - CUT_INTO)
        late = pad_before_token("HTTP 500 (expected 2xx): " + early + f" {auth} ")
        await reply.full(500, f"{early} {auth} {late} {auth} for {said}".encode())


class EveryPath(dict[str, object]):
    """Routes every path to `echo`: the secret paths need no spelling out here."""

    def get(self, key: str, default: object = None) -> object:
        return echo


def leaks(haystack: bytes) -> list[str]:
    """Each secret, or 8-character piece of one, that `haystack` holds in any case,
    as written or with its %XX escapes decoded."""
    readings = {haystack.lower(), unquote_to_bytes(haystack).lower()}
    found = []
    for name, secret in SECRETS.items():
        raw = secret.encode().lower()
        for i in range(len(raw) - PIECE_CHARS + 1):
            if any(raw[i : i + PIECE_CHARS] in reading for reading in readings):
                found.append(f"{name}[{i}:{i + PIECE_CHARS}]")
    return found


async def test_secrets_reach_the_wire_and_no_record_export_or_output(tmp_path: Path) -> None:
    async with LoopbackServer(EveryPath()) as server:  # type: ignore[arg-type]
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK.replace("@PORT@", str(server.port)))
        cli = Cli(tmp_path / "incident.db", actor="ada")
        cli.env.update(SECRETS, HOST_PORT=f"127.0.0.1:{SECRETS['PORT_SECRET']}")

        declared = await run_beside(
            cli,
            "declare",
            *("--title", "Checkout 5xx", "--severity", "SEV2", "--commander", "Ada"),
            *("--issue", "checkout errors", "--runbook", str(runbook)),
        )
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        monitored = await run_beside(cli, "monitor", incident_id, "--for", "2.5")
        delivered = await run_beside(cli, "deliver", incident_id, "--attempts", "2", "--wait", "10")
        wire = list(server.requests)

    outputs = [declared, monitored, delivered]
    exports = [
        cli.ok("export", incident_id),
        cli.ok("export", incident_id, "--format", "json"),
        cli.ok("timeline", incident_id),
        cli.ok("status", incident_id, "--json"),
    ]
    record = json.loads(exports[1])

    # The secrets did go out, so every place was really exercised.
    hook_path = httpx.URL(f"http://h/hook/{SECRETS['PATH_SECRET']}").raw_path.decode()
    hook = [r for r in wire if r.method == "POST"]
    assert hook and hook[0].path == hook_path
    assert hook[0].query == {"token": SECRETS["QUERY_SECRET"].replace("+", " ")}
    assert hook[0].headers["authorization"] == f"Bearer {SECRETS['HEADER_SECRET']}"
    prom = [r for r in wire if r.path.endswith("/api/v1/query")]
    assert prom and prom[0].query["query"] == "up"
    assert f"Bearer {SECRETS['HEADER_SECRET']}" in {r.headers["authorization"] for r in prom}

    # ... and came back redacted, in every classified place.
    samples = {
        s["probe"]: s
        for e in record["events"]
        if e["kind"] == "probe.samples"
        for s in e["payload"]["samples"]
    }
    assert samples["dns"]["outcome"] == "dns"
    assert samples["dns"]["detail"] == "cannot resolve host ***.invalid"
    assert (
        samples["port"]["detail"]
        == "the URL's port is not a number from 0 to 65535 after expansion"
    )
    assert samples["echo-prom"]["detail"].startswith("Prometheus error (internal): xxx")
    assert " Bearer *** fo" in samples["echo-prom"]["detail"]
    assert samples["echo-version"]["text"].endswith("Bearer ***")
    failed = {
        e["payload"]["target"]: e["payload"]["error"]
        for e in record["events"]
        if e["kind"] == "notification.failed"
    }
    assert re.match(
        r"HTTP 500 \(expected 2xx\): x+ Bearer \*\*\* x+ Bearer \*\*\* for /hook/\*\*\*\?",
        failed["echo"],
    )
    assert failed["dns"] == "DNS cannot resolve host ***.invalid"
    assert failed["port"] == "ERROR the URL's port is not a number from 0 to 65535 after expansion"

    # Nowhere: not in the database or its -wal, an export, or any output line.
    stored = [p for p in tmp_path.iterdir() if p.name.startswith("incident.db")]
    assert tmp_path / "incident.db" in stored
    for path in stored:
        assert leaks(path.read_bytes()) == [], path.name
    for text in exports + [r.out for r in outputs] + [r.err for r in outputs]:
        assert leaks(text.encode()) == [], text
