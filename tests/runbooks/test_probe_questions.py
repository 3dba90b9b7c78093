"""A probe whose question can only fail is refused by `lastgood validate`.

A Prometheus query that is only a comment or leaves a bracket or a quote open, and a
`json_field` written as JSONPath or with an empty part, were `ok` to validate and
failed on every poll of the incident (`ERROR Prometheus rejected the query`,
`BAD JSON no field '$.status' in the JSON`). Each is now one line naming the file,
line and column of the field. Validate reads them off the text: no socket is opened.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli_helpers import InProcessCli
from tests.runbooks.conftest import MINIMAL, Problems, messages

REFUSED = [
    ("prometheus", "query: '# 5xx ratio'", "'query' is only a comment"),
    ("prometheus", 'query: "  # sum(rate(x[1m]))\\n  # nothing else"', "only a comment"),
    ("prometheus", "query: 'sum(rate(http_requests_total[1m])'", "'(' that is never closed"),
    ("prometheus", "query: 'up{job=\"api}'", 'string opened with " that is never closed'),
    ("prometheus", "query: 'sum(up))'", "')' that closes nothing"),
    ("prometheus", "query: 'sum(up[5m)]'", "closes '[' with ')'"),
    ("http", "json_field: ''", "'json_field' must not be empty"),
    ("http", "json_field: '$.status'", "not JSONPath"),
    ("version", "json_field: 'build[0].version'", "not JSONPath"),
    ("http", "json_field: 'checks..db'", "empty part between dots"),
    ("http", "json_field: 'error_rate.'", "empty part between dots"),
]

ACCEPTED = [
    ("prometheus", "query: 'sum(rate(x{code=~\"5..\"}[1m])) / sum(rate(x[1m]))'"),
    ("prometheus", "query: 'up{job=\"(\"} # a bracket in a string and in a comment ('"),
    ("prometheus", "query: 'up{path=`C:\\[x`}'"),  # no escapes in `...`
    ("prometheus", 'query: \'up{job="say \\"(\\""}\''),  # "say \"(\"" is one string
    ("http", "json_field: '@timestamp'"),
    ("http", "json_field: items.0.id"),
]


def _probe(kind: str, field: str) -> str:
    query = "" if kind != "prometheus" or field.startswith("query") else ", query: up"
    return f"probes:\n  - {{name: p, kind: {kind}, url: 'http://h'{query}, {field}}}\n"


@pytest.mark.parametrize(("kind", "field", "message"), REFUSED)
def test_a_question_that_can_only_fail_is_refused_where_it_is(
    problems: Problems, kind: str, field: str, message: str
) -> None:
    found = problems(_probe(kind, field) + MINIMAL)
    assert [(p.line, message in p.message) for p in found] == [(2, True)], messages(found)


@pytest.mark.parametrize(("kind", "field"), ACCEPTED)
def test_a_question_that_can_be_answered_is_accepted(
    problems: Problems, kind: str, field: str
) -> None:
    assert messages(problems(_probe(kind, field) + MINIMAL)) == []


def test_validate_says_it_in_one_line_without_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object) -> None:
        raise AssertionError("validate reached for the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    runbook = tmp_path / "probes.yaml"
    runbook.write_text(
        "probes:\n"
        "  - name: errors\n    kind: prometheus\n    url: http://prometheus:9090\n"
        "    query: '# sum(rate(http_requests_total{code=~\"5..\"}[1m]))'\n"
        "  - {name: health, kind: http, url: 'http://shop/health', json_field: $.status}\n"
        + MINIMAL
    )
    result = InProcessCli(tmp_path / "incidents.db").run("validate", str(runbook))
    assert result.code == 2, result.out
    assert result.err.splitlines() == [
        f"{runbook}:5:12: 'query' is only a comment: Prometheus has nothing to evaluate",
        f"{runbook}:6:71: 'json_field' is not JSONPath (no $, [0] or *): give a dotted path "
        "of fields and list indexes, like checks.db.latency or items.0.id",
    ]
