"""Prometheus instant queries at a given moment, for measuring an incident's impact.

Each query is asked as a prometheus probe would be (`poll_probe`: the same URL
expansion, headers, secrets kept out of messages, failure classes), with the
moment in the URL's query string beside the query itself.
"""

from __future__ import annotations

import os
from datetime import datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from msgspec.structs import replace

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


def instant_query(client: HttpClient, server: Probe) -> InstantQuery:
    """Queries evaluated at a moment on `server`, a prometheus probe of the runbook (its
    URL and headers) or `prometheus_at(URL)`."""

    async def query(promql: str, at: datetime) -> float | None:
        parts = urlsplit(server.url)
        moment = urlencode({"time": f"{at.timestamp():.3f}"})
        url = urlunsplit(parts._replace(query="&".join(q for q in (parts.query, moment) if q)))
        probe = replace(
            server,
            url=url,
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
