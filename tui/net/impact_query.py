"""Prometheus instant queries at a given moment, for measuring an incident's impact
and offering a probe's value at the release time as its baseline.

Each query is asked as a prometheus probe would be (`poll_probe`: the same URL
expansion, headers, secrets kept out of messages, failure classes), with the
moment in the URL's query string beside the query itself.
"""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from msgspec.structs import replace

from incident.app.baseline_offer import ValueAt
from incident.app.impact import InstantQuery
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.samples import Outcome
from incident.health.probe_answers import NO_API_STATUS, REDUCE_HINT, no_prometheus_api
from runbooks.model import Probe, ProbeKind
from tui.net.client import HttpClient
from tui.net.probing import poll_probe

QUERY_TIMEOUT_S = 10.0


def prometheus_at(url: str) -> Probe:
    """A Prometheus server given by its URL, as a probe to ask queries of."""
    return Probe(name="prometheus", kind=ProbeKind.PROMETHEUS, url=url, timeout_s=QUERY_TIMEOUT_S)


def _at(probe: Probe, at: datetime) -> Probe:
    """`probe` asking its Prometheus for the value at `at` (`time=` beside its query)."""
    parts = urlsplit(probe.url)
    moment = urlencode({"time": f"{at.timestamp():.3f}"})
    url = urlunsplit(parts._replace(query="&".join(q for q in (parts.query, moment) if q)))
    return replace(probe, url=url)


def probe_value_at(client: HttpClient) -> ValueAt:
    """A Prometheus probe's value at a past moment, asked as the probe asks (its query,
    `reduce`, headers); None where it gives none (no data, no answer): an offer of a
    baseline (`incident.app.baseline_offer`) is left out then, never a failure."""

    async def value_at(probe: Probe, at: datetime) -> float | None:
        if probe.kind is not ProbeKind.PROMETHEUS:
            return None
        sample = await poll_probe(client, _at(probe, at), clock=SystemClock(), env=os.environ)
        return sample.value if sample.outcome == Outcome.OK else None

    return value_at


def instant_query(client: HttpClient, server: Probe) -> InstantQuery:
    """Queries evaluated at a moment on `server`, a prometheus probe of the runbook (its
    URL and headers) or `prometheus_at(URL)`."""

    async def query(promql: str, at: datetime) -> float | None:
        probe = replace(
            _at(server, at),
            query=promql,
            reduce=None,
            timeout_s=max(server.timeout_s, QUERY_TIMEOUT_S),
        )
        sample = await poll_probe(client, probe, clock=SystemClock(), env=os.environ)
        if sample.outcome == Outcome.OK:
            return sample.value
        if sample.outcome == Outcome.NO_DATA:
            return None
        if sample.outcome == Outcome.HTTP_STATUS and sample.http_status == NO_API_STATUS:
            raise CommandError(no_prometheus_api(server.url))  # the URL's fault, not the query's
        # The queries are sum()s, one series from any Prometheus; a probe's hint
        # ("add reduce: to the probe") would name nothing the user wrote.
        detail = sample.detail.replace(f"; {REDUCE_HINT}", " where a sum() gives one")
        raise CommandError(f"Prometheus ({server.name}) could not answer {promql}: {detail}")

    return query
