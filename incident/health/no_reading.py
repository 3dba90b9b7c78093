"""Why a probe has no reading, in the words every face says it.

Three people on one incident read three states of the same unpolled probe: the
coordinator's screen said `not polled: default URL`, `attach` and `serve` `no reading
recorded yet`, `status` and `brief` `not polled yet` (ux_review6 finding 11). The rule
is here once, and every face asks it:

- the record holds a reading: none of this (the reading says what it says);
- the incident is closed: `never polled` (no reading can come now);
- the probe still points at the bundled runbook's loopback default
  (`runbooks.unpointed`): `not polled: default URL`, since every face leaves it out;
- the face asking polls, and its environment does not set a `${NAME}` the probe's URL
  or headers read (`runbooks.unset`): `not polled: variable unset`, since a request it
  cannot build is no answer of the service's (it was recorded as ERROR, and met the
  health trigger);
- a face that polls nothing, when the record says the poller left it out for such a
  variable (its first tick does, `ProbeSamples.unset`): `not polled: $SHOP_HOST not
  set where Ru's monitor (pid 9933 on vm) runs` (ux_review14 #9);
- else what the face asking knows of its own polling: the coordinator's screen, which
  polls, `waiting for first poll`; the same with polling off (`start --no-probes`)
  `not polled (probes off)`, or once its poller stopped `not polled: stopped`; a face
  that polls nothing (`attach`, `serve`, replay, `status`, `brief`) `not polled yet`.

The words are whole in a row of the Production panel at 80 columns after the padded
name (23 cells).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from incident.core.records import UnsetWhere
from incident.core.state import IncidentState
from runbooks.model import Probe
from runbooks.unpointed import unpointed_probes


class NoReading(StrEnum):
    """Why a probe has no reading, as every face says it."""

    NEVER = "never polled"
    """The incident is closed: no reading can come."""
    DEFAULT_URL = "not polled: default URL"
    """Still at the bundled runbook's loopback default: no face polls it."""
    UNSET = "not polled: variable unset"
    """Its URL or headers read a `${NAME}` the polling face's environment does not set
    (the face's line at its start names it): a request it cannot build."""
    OFF = "not polled (probes off)"
    """The face asking does not poll (`start --no-probes`, which the demo and the drill
    pass when their shop is gone): said in what it means, not in a flag."""
    STOPPED = "not polled: stopped"
    """The face asking polled, and its poller stopped by itself (its toast says why)."""
    WAITING = "waiting for first poll"
    """The face asking polls it; its first reading is not recorded yet."""
    NOT_YET = "not polled yet"
    """The face asking polls nothing, and the record holds no reading yet."""


class Polls(StrEnum):
    """What the face asking does about the probes."""

    NOTHING = "nothing"
    """A view of the record (`attach`, `serve`, replay, `status`, `brief`)."""
    HERE = "here"
    """The coordinator's screen, polling what is pointed somewhere."""
    OFF = "off"
    """The coordinator's screen with polling off."""
    STOPPED = "stopped"
    """The coordinator's screen, its poller stopped by itself."""


_BY_POLLS = {
    Polls.NOTHING: NoReading.NOT_YET,
    Polls.HERE: NoReading.WAITING,
    Polls.OFF: NoReading.OFF,
    Polls.STOPPED: NoReading.STOPPED,
}


def no_reading(
    state: IncidentState, probe: Probe, polls: Polls = Polls.NOTHING, unset: Collection[str] = ()
) -> NoReading | str | None:
    """Why `probe` has no reading in the record, as the face that `polls` so says it;
    None once the record holds one. `unset`: the probes that face leaves out, as its
    environment does not set a variable they read. A `NoReading`, but for the reason
    the record gives (`unset_there`)."""
    if state.samples.get(probe.name):
        return None
    if state.is_closed:
        return NoReading.NEVER
    if probe.name in unpointed_probes(state.runbook):
        return NoReading.DEFAULT_URL
    if probe.name in unset:
        return NoReading.UNSET
    where = state.unset_where.get(probe.name)
    if polls is Polls.NOTHING and where is not None:
        return unset_there(where)
    return _BY_POLLS[polls]


def unset_there(where: UnsetWhere) -> str:
    """`not polled: $SHOP_HOST not set where Ru's monitor (pid 9933 on vm) runs`."""
    names = ", ".join(f"${name}" for name in where.names)
    poller = f"{where.poller} runs" if where.poller else "it is polled"
    return f"not polled: {names} not set where {poller}"


def no_reading_named(
    state: IncidentState, name: str, polls: Polls = Polls.NOTHING
) -> NoReading | str | None:
    """`no_reading` of the runbook's probe called `name`; None if it has none such."""
    probe = state.runbook.probe(name)
    return no_reading(state, probe, polls) if probe is not None else None


def not_polled(state: IncidentState, polls: Polls, unset: Collection[str] = ()) -> dict[str, str]:
    """Why each probe with no reading goes without one, by name, where no reading is
    coming from the face asking (not while it waits for its own first poll): the
    guidance and the decision's trigger rows say it instead of waiting for readings."""
    found: dict[str, str] = {}
    for probe in state.runbook.probes:
        why = no_reading(state, probe, polls, unset)
        if why is not None and why is not NoReading.WAITING:
            found[probe.name] = str(why)
    return found


def unread_words(state: IncidentState) -> str:
    """Why no probe has a reading yet, as a face that polls nothing says it:
    `not polled: default URL` when every probe is at its default, `not polled yet`
    when none is, else each reason with its probes (`health, error-rate not polled
    yet; version not polled: default URL`)."""
    groups: dict[str, list[str]] = {}
    for probe in state.runbook.probes:
        why = no_reading(state, probe) or NoReading.NOT_YET
        groups.setdefault(str(why), []).append(probe.name)
    if len(groups) <= 1:
        return next(iter(groups), str(NoReading.NOT_YET))
    return "; ".join(f"{', '.join(names)} {why}" for why, names in groups.items())
