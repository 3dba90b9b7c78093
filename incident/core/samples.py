"""Probe samples: what production answered, classified, as recorded in the log.

A sample never carries a header value or a secret: only the probe's name, the
outcome class and the numbers a panel, a trigger or a report needs. How it is
stored is `incident.core.payloads.health` (a `probe.samples` payload).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from msgspec import Struct


class Outcome(StrEnum):
    """How a poll ended. Everything but OK is a failure the panel shows by name."""

    OK = "ok"
    NO_DATA = "no_data"
    """Answered fine but had nothing to report (empty Prometheus vector, NaN)."""
    HTTP_STATUS = "http_status"
    REFUSED = "refused"
    DNS = "dns"
    TLS = "tls"
    TIMEOUT = "timeout"
    BAD_JSON = "bad_json"
    TOO_LARGE = "too_large"
    ERROR = "error"


class Sample(Struct, frozen=True, gc=False):
    """One probe's reading at one moment, as the health panel shows and the record keeps it.

    Not tracked by the garbage collector (`gc=False`): a state holds the last 120 of
    each probe, 24,000 for 200 probes, and 200 more arrive every second, so every
    collection walked them. A sample holds only strings, numbers, a time and an
    outcome, so it can never be part of a reference cycle; keep it that way
    (`tests/test_untracked_samples.py` checks the fields)."""

    probe: str
    at: datetime
    outcome: Outcome
    latency_ms: float | None = None
    http_status: int | None = None
    value: float | None = None
    """A numeric reading: a JSON field or a Prometheus result. Never NaN."""
    text: str | None = None
    """A textual reading, such as the version string."""
    detail: str = ""
    """One line on what went wrong (or what was read), safe to show and store."""

    @property
    def ok(self) -> bool:
        return self.outcome == Outcome.OK
