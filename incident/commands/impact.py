"""Impact in users' terms: failed requests and their share of traffic over the impact
window, as Prometheus counts them with `increase()`.

The window runs from the impact start (the release time, when given) to the
resolution. Each figure is one instant query, `sum(increase(SELECTOR[Ns]))`,
evaluated at the window's end; the queries are recorded with the figures, so the
report can show how they were got.
"""

from __future__ import annotations

import math
from datetime import datetime

from msgspec import Struct

from incident.commands.rules import make_event
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent
from incident.core.payloads import ImpactMeasured
from incident.core.state import IncidentState
from incident.reports.analysis import resolution


class ImpactQueries(Struct, frozen=True):
    """The two instant queries that measure the impact window, and where it lies."""

    start: datetime
    end: datetime
    """The resolution: both queries are evaluated at this moment."""
    failed: str
    total: str


def increase_query(selector: str, seconds: int) -> str:
    """`sum(increase(SELECTOR[Ns]))`: how much a counter grew over the last N seconds."""
    return f"sum(increase({selector}[{seconds}s]))"


def impact_queries(state: IncidentState, failed: str, total: str) -> ImpactQueries:
    """The queries for counters `failed` and `total` (Prometheus selectors) over the
    impact window; refused before resolution, when the window has no end."""
    end = resolution(state)
    if end is None:
        raise CommandError(
            "the impact window ends at the resolution: send the resolution message or "
            "close the incident first"
        )
    seconds = math.ceil((end - state.started_at).total_seconds())
    if seconds < 1:
        raise CommandError("the impact window is empty: resolved at the impact start")
    for name, selector in (("failed", failed), ("total", total)):
        if not selector.strip() or "\n" in selector or "\r" in selector:
            raise CommandError(f"the {name} requests' selector must be one line of PromQL")
    return ImpactQueries(
        state.started_at,
        end,
        increase_query(failed.strip(), seconds),
        increase_query(total.strip(), seconds),
    )


def record_impact(
    state: IncidentState,
    queries: ImpactQueries,
    failed: float,
    total: float,
    *,
    actor: str,
    clock: Clock,
    failed_no_series: bool = False,
) -> NewEvent:
    """The measured figures; refused when they cannot be counts of the same requests.
    `failed_no_series`: the failed requests' query matched no series, and `failed` is
    the 0 that stands for it (an exporter may expose its 5xx series only once one
    has failed), recorded as such so every reader can say so."""
    for name, value in (("failed", failed), ("total", total)):
        if not math.isfinite(value) or value < 0:
            raise CommandError(f"Prometheus counted {value} {name} requests: not a count")
    if failed > total:
        raise CommandError(
            f"{failed:g} failed requests but {total:g} in all: the failed requests' selector "
            "must count a subset of the total's"
        )
    measured = ImpactMeasured(
        queries.failed,
        queries.total,
        queries.start,
        queries.end,
        failed,
        total,
        actor,
        failed_no_series,
    )
    return make_event(state.id, actor, clock, measured)
