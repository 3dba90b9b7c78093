"""Probe samples: what production answered, classified, as recorded in the log.

A sample never carries a header value or a secret: only the probe's name, the
outcome class and the numbers a panel, a trigger or a report needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from incident.core.events import JSONValue, format_timestamp, parse_timestamp


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


@dataclass(frozen=True, slots=True)
class Sample:
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

    def to_payload(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "probe": self.probe,
            "at": format_timestamp(self.at),
            "outcome": str(self.outcome),
        }
        if self.latency_ms is not None:
            data["latency_ms"] = round(self.latency_ms, 3)
        if self.http_status is not None:
            data["http_status"] = self.http_status
        if self.value is not None and math.isfinite(self.value):
            data["value"] = self.value
        if self.text is not None:
            data["text"] = self.text
        if self.detail:
            data["detail"] = self.detail
        return data

    @classmethod
    def from_payload(cls, data: Mapping[str, JSONValue]) -> Sample:
        latency = data.get("latency_ms")
        status = data.get("http_status")
        value = data.get("value")
        text = data.get("text")
        return cls(
            probe=str(data.get("probe", "")),
            at=parse_timestamp(str(data.get("at", ""))),
            outcome=Outcome(str(data.get("outcome", "error"))),
            latency_ms=float(latency) if isinstance(latency, int | float) else None,
            http_status=status if isinstance(status, int) else None,
            value=float(value) if isinstance(value, int | float) else None,
            text=text if isinstance(text, str) else None,
            detail=str(data.get("detail", "")),
        )
