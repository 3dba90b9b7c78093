"""Use cases fed by production: probe samples (and the triggers they flip), baselines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from incident import commands
from incident.app.outcome import PROBE_ACTOR, Done
from incident.app.session import Session
from incident.core.samples import Sample
from incident.core.text import counted
from incident.health.turns import Gone


def record_samples(
    session: Session,
    samples: Sequence[Sample],
    *,
    poller: str | None = None,
    gone: Gone | None = None,
    unset: Mapping[str, Sequence[str]] | None = None,
) -> Done:
    """One poll's samples, and any trigger they flip, in one transaction; recorded as
    the probes, whichever process polled (the TUI or `monitor`), the tick naming
    `poller`. Nothing is recorded while another poller holds the probes' turn
    (`incident.app.probe_turn`); `gone` tells of a holder known to have stopped, so the
    write decides as the poller's reading of the turn did (it polled because of it).
    `unset`: the probes the poller leaves out for an unset `${NAME}`, told to the
    record once (`commands.record_samples`)."""
    clock = session.clock
    events = session.run_many(
        lambda s: commands.record_samples(
            s, samples, actor=PROBE_ACTOR, clock=clock, poller=poller, gone=gone, unset=unset
        )
    )
    return Done(events, f"{counted(len(samples), 'sample')} recorded")


def baseline(session: Session, actor: str, probe: str, *, value: float | None = None) -> Done:
    """A probe's baseline: a value given, or the median of its recent samples."""
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.capture_baseline(s, probe, actor=actor, clock=clock, value=value)]
    )
    return Done(events, f"baseline for {probe} recorded")
