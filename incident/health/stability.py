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
from incident.core.text import counted
from incident.core.update_cadence import NotRestored, not_restored
from incident.core.verification import verification, verification_records
from incident.health.reading_line import reading_summary
from incident.health.readings import evidence_for, version_expected
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


NO_LONGER_HOLDS = "verification no longer holds"
"""What every face says of a service verified that went back (ux_review15 #2)."""
NOT_RESTORED_MARK = "✖ NOT RESTORED"
"""The mark a line about production carries while it is so (`monitor`'s tick line)."""


def lapse_text(state: IncidentState, lapse: NotRestored) -> str:
    """`verification no longer holds: rollback trigger error-rate met since T+03:47;
    version 2.4.1 running since T+03:45, not the last good 2.4.0 (after verification
    at T+02:40)`."""
    parts = [
        f"rollback trigger {found} met since {t_plus(state, at)}" for found, at in lapse.triggers
    ]
    if lapse.version is not None and lapse.version_since is not None:
        want = state.last_good_version
        parts.append(
            f"version {lapse.version} running since {t_plus(state, lapse.version_since)}"
            + (f", not the last good {want}" if want else "")
        )
    after = f"at {t_plus(state, lapse.after)}"
    if lapse.after_resolution:
        return f"the service is not restored: {'; '.join(parts)} (after the resolution {after})"
    return f"{NO_LONGER_HOLDS}: {'; '.join(parts)} (after verification {after})"


def lapse_said(state: IncidentState) -> str | None:
    """`lapse_text` of the service now, or None while it is restored (or not yet
    verified), and once the incident is closed. What `status`, `brief` and `monitor`
    print, and their `--json`'s `not_restored`: one function, so the two never differ."""
    if state.is_closed:
        return None
    lapse = not_restored(state)
    return None if lapse is None else lapse_text(state, lapse)


def contradicted_checks(state: IncidentState) -> list[tuple[str, str]]:
    """Each verification step checked whose probe now contradicts it, by id, with what
    the readings say (`evidence_for`): the check stays in the record, as it was made,
    and every face marks it contradicted while the readings say otherwise."""
    return [
        (record.step.id, found.detail)
        for record in verification_records(state)
        if record.done
        and record.step.probe
        and (found := evidence_for(state, record.step)).holds is False
    ]


def bad_version_running(state: IncidentState) -> str | None:
    """`version 2.4.1 running, the release rolled back`: the version probe's latest
    reading is the release being rolled back, or, once the rollback is carried out, any
    version but the last good one (`version_expected`); None otherwise."""
    probe = next((p for p in state.runbook.probes if p.kind is ProbeKind.VERSION), None)
    samples = state.samples.get(probe.name, []) if probe is not None else []
    if not samples or not samples[-1].ok or samples[-1].text is None:
        return None
    running = samples[-1].text
    want = state.last_good_version
    if want and running == want:
        return None
    if running == state.from_version:
        return f"version {running} running, the release rolled back"
    if not version_expected(state, running):
        return f"version {running} running, not the last good {want}"
    return None


def close_held(state: IncidentState, now: datetime) -> str | None:
    """What holds the close back now: a rollback trigger met, the bad release running
    (`rollback trigger error-rate met since T+03:47; version 2.4.1 running, the release
    rolled back`); None when neither. The guide closes out "once the service is
    stable": closing anyway takes `--force` and a reason, recorded with the close."""
    parts = []
    found = unstable(state, now)
    if found is not None:
        noun = "rollback trigger" if len(found.met) == 1 else "rollback triggers"
        parts.append(f"{noun} {'; '.join(found.met)}")
    if (version := bad_version_running(state)) is not None:
        parts.append(version)
    return "; ".join(parts) or None


class CloseWaits(Struct, frozen=True):
    """What `close` refuses without `--force` and a reason at a moment: the required
    steps still open, and what holds the service unstable (`close_held`). `close`,
    `list`, the picker and `brief` read this one rule: `list` said "ready to close" of
    an incident whose verification no longer held, which `close` then refused."""

    open_steps: tuple[str, ...]
    """The required steps still open, by id."""
    held: str | None
    """`close_held`: a rollback trigger met, the bad release running; None when neither."""

    @property
    def ready(self) -> bool:
        """Whether `close` takes the incident as it is."""
        return not self.open_steps and self.held is None

    @property
    def reasons(self) -> list[str]:
        """Each thing that holds the close, as `close` refuses with it: `2 required
        steps still open (a, b)`, `the service is not stable (…): the guide closes out
        once it is`."""
        why = []
        if self.open_steps:
            steps = self.open_steps
            listed = ", ".join(steps[:5]) + (" ..." if len(steps) > 5 else "")
            why.append(f"{counted(len(steps), 'required step')} still open ({listed})")
        if self.held is not None:
            why.append(f"the service is not stable ({self.held}): the guide closes out once it is")
        return why


def close_waits(state: IncidentState, now: datetime) -> CloseWaits:
    """What holds the close of `state` back at `now` (`CloseWaits`)."""
    return CloseWaits(tuple(state.open_required_steps()), close_held(state, now))
