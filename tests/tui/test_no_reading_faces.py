"""attach and serve (the same follow view) say why a probe has no reading in the words
the coordinator's screen and `status` say it (`incident.health.no_reading`): `not
polled: default URL` for a probe at the bundled runbook's default, `not polled yet`
for one pointed somewhere, `never polled` once the incident is closed. They said `no
reading recorded yet` while the coordinator's screen said `not polled: default URL`
and `status` `not polled yet` (ux_review6 finding 11)."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.reports.status import status_text
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.probe_runbooks import pointed_rollback
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.widgets.health import HealthPanel


def declared(db: Path, runbook: Path) -> str:
    details = commands.Declaration(title="t", severity="SEV2", commander="Ada")
    clock = SystemClock()
    event = commands.declare(load_runbook(runbook), details, actor="Ada", clock=clock)
    with SqliteEventLog.open(db) as log:
        return IncidentSession.declare(log, event, clock).state.id


def rows(panel: HealthPanel) -> dict[str, str]:
    """Each probe's row at 80 cells, by name: what follows the name."""
    found = {}
    for n, probe in enumerate(panel.probes):
        text = panel.row_text(n, 80).plain.rstrip()
        found[probe.name] = text.removeprefix("? ").removeprefix(probe.name).strip()
    return found


def drawn(app: FollowApp) -> list[str]:
    """The Production panel's probe rows as the terminal shows them: what follows each
    probe's name."""
    found = []
    for text in screen_lines(app):
        for name in ("health", "version", "error-rate"):
            if f"│ ? {name} " in text:
                found.append(text.split(f"? {name} ", 1)[1].split("│", 1)[0].strip())
    return found


def production_words(db: Path, incident_id: str) -> str:
    """What `status` says of production, in its own process's terms."""
    with SqliteEventLog.open(db, read_only=True) as log:
        state = IncidentSession(log, incident_id, SystemClock()).state
    said = status_text(state, SystemClock().now())
    return next(x for x in said.splitlines() if x.startswith("production: "))


async def test_attach_says_a_default_url_as_the_coordinators_screen_does(tmp_path: Path) -> None:
    db = tmp_path / "defaults.db"
    incident_id = declared(db, resolve_runbook("rollback"))
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            panel = app.screen.query_one(HealthPanel)
            assert set(rows(panel).values()) == {"not polled: default URL"}, rows(panel)
    assert production_words(db, incident_id) == "production: not polled: default URL"


async def test_attach_says_not_polled_yet_then_never_polled_at_the_close(tmp_path: Path) -> None:
    db = tmp_path / "mixed.db"
    incident_id = declared(db, pointed_rollback(tmp_path / "mixed.yaml", "version"))
    assert production_words(db, incident_id) == (
        "production: health, error-rate not polled yet; version not polled: default URL"
    )
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            panel = app.screen.query_one(HealthPanel)
            assert rows(panel) == {
                "health": "not polled yet",
                "version": "not polled: default URL",
                "error-rate": "not polled yet",
            }
            with SqliteEventLog.open(db) as writing:
                session = IncidentSession(writing, incident_id, SystemClock())
                session.run(
                    lambda s: commands.close(
                        s, actor="Bo", clock=SystemClock(), force=True, reason="drill"
                    )
                )
            await wait_until(pilot, lambda: app.screen.state.is_closed)
            # As drawn, not only as a row would be built now: the close redraws them.
            await wait_until(pilot, lambda: drawn(app) == ["never polled"] * 3)
