"""Measuring the impact in users' terms, through whatever asks Prometheus.

The face passes `query`, which evaluates one PromQL expression at a moment and
gives its value (None for no data); `tui.net.impact_query` is the one that speaks
HTTP. The figures are then recorded on fresh state, like any other verb's events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.errors import CommandError
from incident.reports.describe import NO_FAILED_SERIES, count_text

InstantQuery = Callable[[str, datetime], Awaitable[float | None]]
"""`await query(promql, at)`: the value of `promql` at `at`, None when there is none;
raises CommandError when Prometheus cannot answer."""


async def measure_impact(
    session: Session, actor: str, *, failed: str, total: str, query: InstantQuery
) -> Done:
    """Failed requests and all requests over the impact window, from `increase()`."""
    queries = commands.impact_queries(session.state, failed, total)
    failed_count = await query(queries.failed, queries.end)
    total_count = await query(queries.total, queries.end)
    if total_count is None:
        raise CommandError(
            f"--total matched no series: Prometheus has no data for {queries.total}; "
            "check the selector"
        )
    if total_count <= 0:
        raise CommandError(
            f"Prometheus counted no requests over the impact window: {queries.total} is 0"
        )
    # No series of failed requests: an exporter may expose its 5xx series only after
    # the first error, so none failed; but a typo does the same, so it is said and kept.
    no_series = failed_count is None
    counted = failed_count or 0.0
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.record_impact(
                s,
                queries,
                counted,
                total_count,
                actor=actor,
                clock=clock,
                failed_no_series=no_series,
            )
        ]
    )
    share = counted / total_count
    said = (
        f"impact measured: {count_text(counted)} of "
        f"{count_text(total_count)} requests failed ({share:.1%})"
    )
    if no_series:
        said += f"; --failed matched no series: {NO_FAILED_SERIES}"
    return Done(events, said)
