"""The coordinator's screen on a new incident of the bundled runbook, for the tests
that drive it: the real app on a real SQLite file, at a fixed moment."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot

from incident import commands
from incident.app import messages, people, steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import DETAILS, highlight
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook


def declared(db: Path, clock: ManualClock, *, decided: bool, runbook: Runbook | None = None) -> str:
    """A new incident of the bundled runbook (or `runbook`) in `db`, its id; `decided`:
    with the rollback decided and the paging message declined."""
    runbook = runbook or bundled_runbook()
    with SqliteEventLog.open(db) as log:
        event = commands.declare(runbook, DETAILS, actor="ada", clock=clock)
        log.append([event])
        if decided:
            session = IncidentSession(log, event.incident_id, clock)
            steps.decide(session, "ada", reason="error rate 12% > 5%")
            messages.decline(session, "ada", "paging", reason="team already paged")
    return event.incident_id


def channel_named(session: IncidentSession) -> None:
    """`prepare`: the incident channel named as at the declaration, its step left open
    (space then checks it at once, the channel its evidence)."""
    clock = session.clock
    session.run(lambda s: commands.set_channel(s, "#inc-checkout", actor="ada", clock=clock))


def bo_smith_in_command(session: IncidentSession) -> None:
    """`prepare`: Ada hands command to Bo Smith, so the gate takes his word (the
    incident commander's: no one else's opens it)."""
    people.hand_off(session, "ada", "Bo Smith")


@asynccontextmanager
async def coordinator(
    db: Path,
    *,
    decided: bool = False,
    size: tuple[int, int] = (80, 24),
    notifications: bool = False,
    prepare: Callable[[IncidentSession], object] | None = None,
) -> AsyncIterator[tuple[LastGoodApp, Pilot[None], IncidentScreen]]:
    """The real app on a new incident of the bundled runbook in `db` (`declared`, then
    `prepare` run on it), with the coordinator's screen up and what it opened with on
    screen."""
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=decided)
    if prepare is not None:
        with SqliteEventLog.open(db) as log:
            prepare(IncidentSession(log, incident_id, clock))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            yield app, pilot, screen


async def guide(pilot: Pilot[None], screen: IncidentScreen, step: str) -> None:
    """Highlight `step` and wait for the guidance panel to show it."""
    highlight(screen, step)
    title = screen.state.steps[step].step.title
    guidance = screen.query_one(Guidance)
    await wait_until(pilot, lambda: guidance._text.plain.startswith(title))


def declared_on(tmp_path: Path, name: str, runbook_text: str) -> tuple[Path, Runbook, str]:
    """A file `name`.db holding one incident declared on the runbook `runbook_text`
    (written to `name`.yaml): the file, the runbook and the incident's id."""
    from incident.core.clock import SystemClock
    from runbooks.loading import load_runbook

    path = tmp_path / f"{name}.yaml"
    path.write_text(runbook_text)
    runbook = load_runbook(path)
    details = commands.Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    declared = commands.declare(runbook, details, actor="ada", clock=SystemClock())
    db = tmp_path / f"{name}.db"
    with SqliteEventLog.open(db) as log:
        log.append([declared])
    return db, runbook, declared.incident_id
