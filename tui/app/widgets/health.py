"""Live health panels: one row per probe with status, latency, value and sparkline.

A failure is shown by its class (TIMEOUT, REFUSED, HTTP 500...) in words, so the
coordinator can tell "production is down" from "my probe cannot reach it".
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Sparkline, Static

from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.readings import baseline_of, format_value
from runbooks.model import Probe, ProbeKind

SPARK_POINTS = 30
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


def reading(probe: Probe, sample: Sample, state: IncidentState) -> tuple[str, bool]:
    """The value column and whether it is a breach."""
    if probe.kind == ProbeKind.VERSION:
        if sample.text is None:
            return "—", False
        want = state.last_good_version
        if want and sample.text != want:
            return f"{sample.text} (want {want})", True
        return sample.text, False
    if sample.value is None:
        return "—", False
    shown = format_value(sample.value, probe.unit)
    if probe.threshold is not None:
        breach = sample.value > probe.threshold
        sign = ">" if breach else "≤"
        shown = f"{shown} {sign} {format_value(probe.threshold, probe.unit)}"
        baseline = baseline_of(state, probe.name)
        if baseline is not None:
            shown += f" (base {format_value(baseline, probe.unit)})"
        return shown, breach
    return shown, False


def status_line(probe: Probe, samples: list[Sample], state: IncidentState) -> Text:
    """Mark, name, then what matters most first: the value, or what failed."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if not samples:
        text.append("? ", style="bold")
        text.append(f"{visible(probe.name):<10} ", style="bold")
        text.append("waiting for first poll")
        return text
    latest = samples[-1]
    value, breach = reading(probe, latest, state)
    bad = not latest.ok or breach
    text.append("✖ " if bad else "● ", style="bold")
    text.append(f"{visible(probe.name):<10} ", style="bold")
    if not latest.ok:
        word = OUTCOME_WORDS[latest.outcome]
        if latest.outcome == Outcome.HTTP_STATUS and latest.http_status:
            word = f"HTTP {latest.http_status}"
        text.append(word, style="bold reverse")
        if latest.detail:
            text.append(f" {visible(latest.detail)}")
        return text
    text.append(visible(value) if value != "—" else "OK", style="bold" if breach else "")
    if latest.latency_ms is not None:
        text.append(f"  {latest.latency_ms:.0f}ms", style="dim")
    return text


class ProbeRow(Horizontal):
    DEFAULT_CSS = """
    ProbeRow { height: 1; }
    ProbeRow > Static { width: 1fr; }
    ProbeRow > Sparkline { width: 16; margin-left: 1; }
    ProbeRow.bad > Static { color: $error; }
    """

    def __init__(self, probe: Probe) -> None:
        super().__init__(id=f"probe-{probe.name}")
        self.probe = probe

    def compose(self) -> ComposeResult:
        yield Static()
        yield Sparkline([])

    def show(self, samples: list[Sample], state: IncidentState) -> None:
        line = status_line(self.probe, samples, state)
        latest_bad = bool(samples) and str(line).startswith("✖")
        self.set_class(latest_bad, "bad")
        self.query_one(Static).update(line)
        points = [
            (s.value if s.value is not None else (s.latency_ms or 0.0))
            for s in samples[-SPARK_POINTS:]
            if s.ok
        ]
        sparkline = self.query_one(Sparkline)
        sparkline.data = points
        sparkline.display = bool(points)


class HealthPanels(VerticalScroll):
    """Every probe of the runbook; scrolls past 6 rows, with a count of what is failing."""

    DEFAULT_CSS = """
    HealthPanels {
        height: auto;
        max-height: 8;
        scrollbar-size-vertical: 1;
        border-subtitle-align: right;
        border: round $primary-muted;
        border-title-align: left;
        padding: 0 1;
    }
    """

    def __init__(self, probes: tuple[Probe, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.probes = probes
        self.border_title = "Production"

    def compose(self) -> ComposeResult:
        for probe in self.probes:
            yield ProbeRow(probe)

    def show(self, state: IncidentState) -> None:
        failing = 0
        for row in self.query(ProbeRow):
            row.show(state.samples.get(row.probe.name, []), state)
            failing += row.has_class("bad")
        total = len(self.probes)
        self.border_subtitle = f"{failing} of {total} failing" if failing else f"{total} probes"
