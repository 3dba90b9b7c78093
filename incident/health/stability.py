"""Whether the service is stable enough to be told it is restored, read once for every face.

The guide's close-out opens "Once the service is stable, close out the incident", and
its first principle for a trigger is "Act Decisively". A rollback trigger met while
the resolution message is sent, or the incident closed, contradicts both: the report's
Inconsistencies said so the next day (`The resolution message went out while rollback
triggers were met`), while the send dialog, `send`, the close and the guidance said
nothing at the moment it mattered (ux_review11 #1). The rule lives here, below the
reports that read it afterwards and the application layer that says it as it happens
(`incident.app.stability`): the triggers the record holds met at a moment, with since
when and whether that was after the service was verified, and the probes failing now.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.core.phase_clocks import RESOLVED_TEMPLATE, t_plus
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.core.verification import verification
from incident.health.reading_line import reading_summary
from incident.health.readings import version_expected
from runbooks.model import Probe, ProbeKind, Step, StepKind


def met_at(state: IncidentState, moment: datetime) -> list[str]:
    """The rollback triggers the record holds met at `moment`, by id, in the order they
    were first marked."""
    latest: dict[str, bool] = {}
    for trigger_id, mark in state.trigger_history:
        if mark.at <= moment:
            latest[trigger_id] = mark.met
    return [trigger_id for trigger_id, met in latest.items() if met]


def met_since(state: IncidentState, trigger_id: str, moment: datetime) -> datetime | None:
    """When the run of "met" that `trigger_id` is in at `moment` began; None if it is not met."""
    since = None
    for found, mark in state.trigger_history:
        if found != trigger_id or mark.at > moment:
            continue
        if not mark.met:
            since = None
        elif since is None:
            since = mark.at
    return since


def reading_bad(probe: Probe, sample: Sample, state: IncidentState) -> bool:
    """A failed poll, or a reading past its probe's threshold (or not the last good
    version): the Production panel's FAILING, and "failing" wherever it is said."""
    if not sample.ok:
        return True
    if probe.kind == ProbeKind.VERSION:
        return sample.text is not None and not version_expected(state, sample.text)
    threshold = probe.threshold
    return threshold is not None and sample.value is not None and sample.value > threshold


def failing_probes(state: IncidentState) -> list[str]:
    """Each probe whose latest reading is bad, as `monitor` words it: `health REFUSED`."""
    failing = []
    for probe in state.runbook.probes:
        samples = state.samples.get(probe.name)
        if samples and reading_bad(probe, samples[-1], state):
            failing.append(reading_summary(state, samples[-1]))
    return failing


class Unstable(Struct, frozen=True):
    """What says the service is not stable at a moment: the triggers met, the probes failing."""

    triggers: tuple[str, ...]
    """The triggers met, by id."""
    met: tuple[str, ...]
    """Each as said: `health-failing met since T+03:28, after verification`."""
    failing: tuple[str, ...]
    """The probes whose latest reading is bad: `health REFUSED`."""

    @property
    def text(self) -> str:
        """`rollback trigger health-failing met since T+03:28, after verification;
        failing: health REFUSED, version REFUSED`."""
        noun = "rollback trigger" if len(self.met) == 1 else "rollback triggers"
        said = f"{noun} {'; '.join(self.met)}"
        return said + (f"; failing: {', '.join(self.failing)}" if self.failing else "")


def unstable(state: IncidentState, moment: datetime) -> Unstable | None:
    """The triggers the record holds met at `moment` and the probes failing now; None
    when no trigger is met (a failing probe alone has not met the runbook's rule yet)."""
    triggers = met_at(state, moment)
    if not triggers:
        return None
    verified = verification(state).last
    verified_at = verified.at if verified is not None else None
    met = []
    for trigger_id in triggers:
        since = met_since(state, trigger_id, moment)
        said = f"{trigger_id} met"
        if since is not None:
            said += f" since {t_plus(state, since)}"
            if verified_at is not None and since > verified_at:
                said += ", after verification"
        met.append(said)
    return Unstable(tuple(triggers), tuple(met), tuple(failing_probes(state)))


REASSESS = "re-assess before telling anyone it is resolved (the guide: Act Decisively)"
"""What the guidance and `brief` say in place of "send the resolution" while it is held."""


def resolution_held(state: IncidentState, step: Step, now: datetime) -> Unstable | None:
    """What holds the resolution message's step back now: a rollback trigger met (and
    the probes failing). The guidance and `brief`'s next step point at it, not at
    sending "Service is restored"; None for any other step, or once no trigger is met."""
    if step.kind != StepKind.COMMUNICATION or step.template != RESOLVED_TEMPLATE:
        return None
    return unstable(state, now)
