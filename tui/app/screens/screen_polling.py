"""The coordinator's screen polling production: started after its first frame, in turn
with the incident's other pollers, and stopped with the screen.

Apart from the screen because it has its own life: what to poll (the probes pointed
somewhere), where (the network loop, or a child process), in whose turn
(`incident.app.probe_turn`), giving way to keys (`tui.app.keys_first`), and what it
says when the child stops or another poller holds the turn.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from incident.core.clock import Clock
from incident.core.state import IncidentState
from incident.health.no_reading import Polls
from runbooks.model import Probe
from tui.app.screens.production import start_polling
from tui.app.screens.recorder import Outcome, Recorder

if TYPE_CHECKING:  # the network and the probes' turn are loaded after the first frame
    from textual.notifications import SeverityLevel

    from incident.app.probe_turn import ProbeTurn
    from tui.app.keys_first import GivesWay, KeyFlag, KeysFirst
    from tui.app.probe_child import ProbeChild
    from tui.net.network_loop import NetworkLoop


class Notify(Protocol):
    """The screen's `notify`, as this module calls it."""

    def __call__(
        self,
        message: str,
        *,
        title: str = ...,
        severity: SeverityLevel = ...,
        timeout: float | None = ...,
    ) -> None: ...


class ScreenPolling:
    """The screen's side of polling: its loop or its child, and its turn, while they run."""

    def __init__(self, notify: Notify) -> None:
        self._notify = notify
        self.polling: concurrent.futures.Future[None] | None = None
        """The probe polling loop on the network thread, while it runs."""
        self.probe_child: ProbeChild | None = None
        """The child process polling the probes instead, while it runs."""
        self.probe_turn: ProbeTurn | None = None
        """This screen's side of the probes' turn, while it polls them (itself or in its
        child): another poller of the incident holding it is said once (`news`)."""
        self.key_flag: KeyFlag | None = None
        """What the polling loop reads to give way to a key (`tui/app/keys_first.py`)."""
        self._keys_first: KeysFirst | None = None
        """Where the poller was added to give way to keys, to be taken off again."""
        self._mark_polls: Callable[[Polls], None] | None = None
        """Where to say what this screen does about the probes once its poller stops."""

    def pointed_probes(self, state: IncidentState) -> tuple[Probe, ...]:
        """The probes to poll: those still at the bundled runbook's 127.0.0.1 defaults
        would only show REFUSED, so they are left out and the coordinator is told how to
        point them (`lastgood init`): the cause in the toast's title, the remedy in
        words that fit a toast at 80x24 (`runbooks.unpointed.UNPOINTED_REMEDY`)."""
        from runbooks.unpointed import UNPOINTED_REMEDY, UNPOINTED_TITLE, pointed_probes

        probes, hint = pointed_probes(state.runbook)
        if hint is not None:
            self._notify(UNPOINTED_REMEDY, title=UNPOINTED_TITLE, timeout=30)
        return probes

    def unset_probes(self, state: IncidentState) -> frozenset[str]:
        """The probes whose URL or headers read a `${NAME}` this process's environment
        does not set: left out (a request that cannot be built is no answer of the
        service's), and said in a toast with the webhook targets in the same case; as
        `monitor`, "until lastgood is restarted with it set", since this process's
        environment cannot change while it runs."""
        from runbooks.unset import UNSET_TITLE, unset_by_probe, unset_hint

        hint = unset_hint(state.runbook, os.environ, face="lastgood")
        if hint is not None:
            self._notify(hint.removeprefix("not set in this environment: "), title=UNSET_TITLE,
                         timeout=30)  # fmt: skip
        return frozenset(unset_by_probe(state.runbook, os.environ))

    def start(
        self,
        state: IncidentState,
        *,
        actor: str,
        poll_probes: bool,
        probes_in_child: str | None,
        keys_first: KeysFirst,
        network: NetworkLoop,
        recorder: Recorder,
        clock: Clock,
        mark_polls: Callable[[Polls], None],
        on_error: Callable[[Outcome[str | None]], None],
        mark_unset: Callable[[frozenset[str]], None] = lambda _names: None,
    ) -> None:
        """Poll what is pointed somewhere, unless the incident is closed; with polling
        off, the rows without a reading say so (`mark_polls`), and those at a bundled
        default address say that, as every face does (`incident.health.no_reading`)."""
        probes = self.pointed_probes(state) if poll_probes else ()
        if not poll_probes:
            mark_polls(Polls.OFF)
        unset = frozenset[str]() if state.is_closed else self.unset_probes(state)
        if poll_probes and unset:
            probes = tuple(probe for probe in probes if probe.name not in unset)
            mark_unset(unset)
        if not probes or state.is_closed:
            return
        self._mark_polls = mark_polls
        from incident.app.pollers import poller_name
        from incident.app.probe_turn import ProbeTurn

        self.probe_turn = turn = ProbeTurn(poller_name(actor, "screen"))
        self._keys_first = keys_first
        if probes_in_child is not None:
            from tui.app.probe_child import ProbeChild

            self.probe_child = ProbeChild.start(probes_in_child, state.id, poller=turn.poller)
            keys_first.add(self.probe_child)
            return
        from tui.app.keys_first import KeyFlag

        self.key_flag = KeyFlag()
        keys_first.add(self.key_flag)
        self.polling = start_polling(
            network, recorder, probes, clock, turn, on_error=on_error, key_held=self.key_flag.held
        )

    def watch(self, state: IncidentState, now: datetime) -> None:
        """Each tick: a child poller that stopped by itself says why, once, and the rows
        it left without a reading say it stopped; another poller holding the probes'
        turn is said once, and once when it has stopped."""
        child = self.probe_child
        if child is not None and (failure := child.failure()) is not None:
            self.probe_child = None
            self._stop_giving_way(child)
            self._notify(failure, title="Probes stopped", severity="error", timeout=30)
            if self._mark_polls is not None:
                self._mark_polls(Polls.STOPPED)
        if self.probe_turn is not None:
            line = self.probe_turn.news(state, now)
            if line is not None:
                self._notify(line, title="Probes", timeout=15)

    def stop(self) -> None:
        """The screen is going: the loop cancelled, the child stopped, keys let be."""
        if self.polling is not None:
            self.polling.cancel()
        for giving_way in (self.probe_child, self.key_flag):
            if giving_way is not None:
                self._stop_giving_way(giving_way)
        if self.probe_child is not None:
            self.probe_child.stop()

    def _stop_giving_way(self, work: GivesWay) -> None:
        if self._keys_first is not None:
            self._keys_first.remove(work)
