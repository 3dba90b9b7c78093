"""A failed reading in people's words, the same in `monitor`'s lines, a trigger's
detail and the Production panel: `HTTP 503`, `NO DATA`, `REFUSED`, never the record's
`HTTP_STATUS`, `NO_DATA` or `(http_status)` (review 4, finding 6)."""

from __future__ import annotations

from datetime import UTC, datetime

from incident.core.samples import Outcome, Sample
from incident.health.failure_words import failure_text, failure_word
from incident.health.reading_line import reading_summary
from incident.health.readings import trigger_verdict
from runbooks.model import Trigger, TriggerKind
from tests.bundled_incident import BundledIncident

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
HTTP_503 = Sample("health", AT, Outcome.HTTP_STATUS, 4.0, 503, detail="HTTP 503 (expected 200)")
NO_SERIES = Sample("error-rate", AT, Outcome.NO_DATA, 3.0, 200, detail="query returned no series")
REFUSED = Sample("health", AT, Outcome.REFUSED, detail="connection refused")


def test_monitor_lines_name_a_failure_as_the_panel_does() -> None:
    state = BundledIncident(AT, started_at=AT).session.state
    assert reading_summary(state, HTTP_503) == "health HTTP 503 (expected 200)"
    assert reading_summary(state, NO_SERIES) == "error-rate NO DATA query returned no series"
    assert reading_summary(state, REFUSED) == "health REFUSED connection refused"


def test_a_failure_word_is_its_class_by_name() -> None:
    assert [failure_word(s) for s in (HTTP_503, NO_SERIES, REFUSED)] == [
        "HTTP 503",
        "NO DATA",
        "REFUSED",
    ]
    # a Prometheus answer's status is in its detail only
    prometheus_404 = Sample("error-rate", AT, Outcome.HTTP_STATUS, detail="HTTP 404 (expected 200)")
    assert failure_word(prometheus_404) == "HTTP 404"
    assert failure_text(prometheus_404) == "HTTP 404 (expected 200)"
    bare = Sample("health", AT, Outcome.TIMEOUT, detail="TIMEOUT")
    assert failure_text(bare) == "TIMEOUT"


def test_the_health_trigger_says_which_failure_it_counted() -> None:
    trigger = Trigger(
        "health-failing", "Health failing", TriggerKind.CONSECUTIVE_FAILURES, "health", count=3
    )
    assert trigger_verdict(trigger, [HTTP_503] * 3).detail == "3 failed checks in a row (HTTP 503)"
    assert trigger_verdict(trigger, [REFUSED] * 3).detail == "3 failed checks in a row (REFUSED)"
