"""A failed reading in the words every face shows it by: its class by name
(`REFUSED`, `TIMEOUT`, `HTTP 503`, `NO DATA`...), then what the poll said beyond it.

The outcome's stored value (`http_status`, `no_data`) is the record's, for JSON and
for the code; people read these. The Production panel, `monitor`'s lines, a
trigger's detail and a webhook delivery's error say a failure the same way. A
trigger's detail is recorded with its change: those recorded before said `3 failed
checks in a row (http_status)`, and are shown as stored (they are evidence of what
was seen then), as are deliveries' errors recorded before they said it so
(`HTTP 500: boom`, `refused: connection refused by …`).
"""

from __future__ import annotations

import re

from incident.core.samples import Outcome, Sample

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.OK: "OK",
    Outcome.NO_DATA: "NO DATA",
    Outcome.HTTP_STATUS: "HTTP",
    Outcome.REFUSED: "REFUSED",
    Outcome.DNS: "DNS",
    Outcome.TLS: "TLS",
    Outcome.TIMEOUT: "TIMEOUT",
    Outcome.BAD_JSON: "BAD JSON",
    Outcome.TOO_LARGE: "TOO LARGE",
    Outcome.ERROR: "ERROR",
}
"""Each outcome's name, as the README promises failures are shown."""


def failure_word(sample: Sample) -> str:
    """The class of `sample`'s outcome by name; an HTTP status with its code (`HTTP 503`),
    from the sample's status or, a Prometheus answer's, its detail's `HTTP 404 ...`."""
    if sample.outcome == Outcome.HTTP_STATUS:
        if sample.http_status:
            return f"HTTP {sample.http_status}"
        said = sample.detail.split(maxsplit=2)[:2]
        if len(said) == 2 and said[0] == "HTTP" and said[1].isdigit():
            return f"HTTP {said[1]}"
    return OUTCOME_WORDS[sample.outcome]


def beyond(word: str, detail: str) -> str:
    """What a failed poll's `detail` says beyond its class `word`: "HTTP 503 (expected
    200)" after "HTTP 503" is "(expected 200)" (the row read `HTTP 503 HTTP 503`)."""
    if detail == word:
        return ""
    return detail.removeprefix(f"{word} ") if detail.startswith(f"{word} ") else detail


def failure_text(sample: Sample) -> str:
    """The class by name, then the rest of what the poll said: `HTTP 503 (expected 200)`,
    `NO DATA query returned no series`, `REFUSED connection refused`."""
    return named(failure_word(sample), sample.detail)


def named(word: str, detail: str) -> str:
    """A failure said as `word` (its class by name), then what `detail` says beyond it:
    a poll's, or a webhook delivery's (`TIMEOUT no answer within 5.0 s`)."""
    rest = beyond(word, detail)
    return f"{word} {rest}" if rest else word


_EXPECTED = re.compile(r"^(HTTP \d+) \(expected [^)]*\)")


def at_a_glance(line: str) -> str:
    """A failure line without what was expected, where a dozen cells must say it:
    `HTTP 500: boom` for `HTTP 500 (expected 2xx): boom`; any other line as it is."""
    return _EXPECTED.sub(r"\1", line, count=1)
