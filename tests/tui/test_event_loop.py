"""What runs on the UI event loop: keys and drawing, never an append or an HTTP request.

A real SQLite file, real probes on a loopback server, a real `lastgood` process.
Other writers' events reach the coordinator's screen with the first read after they
committed, while probes are polled; a key still changes the screen while an append
is stuck waiting for a lock or a probe waits for an answer that does not come, and
what was stuck lands once when it is let go. Every wait is on a condition.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.http_servers import LoopbackServer, Received, Reply, json_route
from tests.scenario_copies import scenario_copy
from tests.tui.giving_way import keys_noted
from tests.tui.pilot_helpers import settled, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.text_prompt import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.timeline import Timeline
from tui.net import poller
from tui.net.gate import Gate
from tui.net.poller import ProbePoller

RUNBOOK = """\
runbook: loop-test
title: Loop test
probes:
  - {{name: health, kind: http, url: "{base}/health", expect_status: 200,
     interval_s: 1, timeout_s: 20}}
  - {{name: error-rate, kind: http, url: "{base}/metrics", json_field: error_rate,
     threshold: 0.05, unit: ratio, interval_s: 1, timeout_s: 20}}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {{id: look, title: Look at the dashboards}}
      - {{id: think, title: Think it over}}
  - id: act
    title: Act
    window: [5, 30]
    steps:
      - {{id: roll-back, title: Roll back}}
"""


def open_incident(tmp_path: Path, base: str) -> tuple[Path, str]:
    """A file with one incident declared on a runbook whose probes point at `base`."""
    path = tmp_path / "loop.yaml"
    path.write_text(RUNBOOK.format(base=base))
    runbook = load_runbook(path)
    db = tmp_path / "loop.db"
    details = commands.Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    event = commands.declare(runbook, details, actor="ada", clock=SystemClock())
    with SqliteEventLog.open(db) as log:
        log.append([event])
    return db, event.incident_id


def phase_title(screen: IncidentScreen) -> str:
    return str(screen.query_one("#phase-title", Static).content)


def checklist_lines(screen: IncidentScreen) -> list[str]:
    checklist = screen.query_one(Checklist)
    return [
        str(checklist.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(checklist.option_count)
    ]


def timeline_texts(screen: IncidentScreen) -> list[str]:
    timeline = screen.query_one(Timeline)
    return [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]


def note_by_cli(db: Path, incident_id: str) -> Callable[[], None]:
    cli = Cli(db, actor="deploy-bot")

    def write() -> None:
        cli.ok("note", incident_id, "from the pipeline")

    return write


def note_by_second_log(db: Path, incident_id: str) -> Callable[[], None]:
    def write() -> None:
        clock = SystemClock()
        with SqliteEventLog.open(db) as other:
            session = IncidentSession(other, incident_id, clock)
            session.run(
                lambda s: commands.add_note(s, "from the pipeline", actor="deploy-bot", clock=clock)
            )

    return write


@asynccontextmanager
async def polling_app(
    tmp_path: Path,
) -> AsyncIterator[tuple[LoopbackServer, Path, str, LastGoodApp]]:
    """The app on an incident whose two probes a loopback server answers, polled on
    the app's network thread: the server, the record, the incident's id, the app."""
    routes = {
        "/health": json_route({"status": "ok"}),
        "/metrics": json_route({"error_rate": 0.01}),
    }
    async with LoopbackServer(routes) as server:
        db, incident_id = open_incident(tmp_path, server.url("").rstrip("/"))
        with SqliteEventLog.open(db) as log:
            yield (
                server,
                db,
                incident_id,
                LastGoodApp(log, load_runbook(tmp_path / "loop.yaml"), actor="ada"),
            )


async def incident_screen(pilot: Pilot[object]) -> IncidentScreen:
    await wait_for_screen(pilot, IncidentScreen)
    screen = pilot.app.screen
    assert isinstance(screen, IncidentScreen)
    return screen


@pytest.mark.parametrize("writer", [note_by_cli, note_by_second_log], ids=["cli", "second-log"])
async def test_other_writers_events_show_by_the_next_read_while_probes_are_polled(tmp_path, writer):
    async with (
        polling_app(tmp_path) as (server, db, incident_id, app),
        app.run_test(size=(100, 30)) as pilot,
    ):
        screen = await incident_screen(pilot)

        def rounds() -> int:
            return len(screen.state.samples.get("health", []))

        await wait_until(pilot, lambda: rounds() >= 2)  # polling
        await asyncio.to_thread(writer(db, incident_id))  # committed on return
        reads_at_commit = screen.reads
        await wait_until(pilot, lambda: "from the pipeline" in " ".join(timeline_texts(screen)))
        # The first read that started after the commit brought it, if a round of
        # samples (whose append reads what others wrote) did not bring it first.
        assert screen.reads <= reads_at_commit + 1
        assert [n.text for n in screen.state.notes] == ["from the pipeline"]
        polled = rounds()
        await wait_until(pilot, lambda: rounds() > polled)  # still polling
    assert len(server.requests) >= 2 * 3


class GatedLog:
    """A SqliteEventLog whose next `append_decided`, once armed, waits for the test."""

    def __init__(self, inner: SqliteEventLog) -> None:
        self.inner = inner
        self.armed = False
        self.entered = threading.Event()
        self.release = threading.Event()

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def append_decided(self, incident_id, after, decide, proposal=None):  # type: ignore[no-untyped-def]
        if self.armed:
            self.armed = False
            self.entered.set()
            assert self.release.wait(30), "the test never released the append"
        return self.inner.append_decided(incident_id, after, decide, proposal)


async def test_a_stuck_append_does_not_hold_up_a_key_and_lands_once(tmp_path):
    scenario = scenario_copy("declared", tmp_path / "gated.db")
    gated = GatedLog(scenario.log)
    app = LastGoodApp(
        gated,  # type: ignore[arg-type]
        scenario.runbook,
        clock=scenario.clock,
        actor="ada",
        incident_id=scenario.incident_id,
        network=False,
    )
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            assert screen.view.selected_step == "assess-severity"
            assert phase_title(screen).startswith("Phase 1/4")

            gated.armed = True
            await pilot.press("space")
            await asyncio.to_thread(gated.entered.wait, 10)
            assert gated.entered.is_set()
            # Recorded before shown: the append has not committed, the step is not [x].
            assert "[ ] Assess severity" in checklist_lines(screen)
            await pilot.press("right")
            await wait_until(pilot, lambda: phase_title(screen).startswith("Phase 2/4"))
            assert not screen.state.steps["assess-severity"].done

            gated.release.set()
            await wait_until(pilot, lambda: screen.state.steps["assess-severity"].done)
            await pilot.press("left")
            await wait_until(pilot, lambda: "[x] Assess severity" in checklist_lines(screen))
            await wait_until(pilot, lambda: settled(screen))
    finally:
        gated.release.set()
    events = SqliteEventLog.open(tmp_path / "gated.db", read_only=True).events(scenario.incident_id)
    checked = [e for e in events if e.kind == "step.checked"]
    by_key = [e.payload["step"] for e in checked if e.at > events[0].at]  # not the declaration's
    assert by_key == ["assess-severity"]


async def test_a_probe_that_never_answers_does_not_hold_up_keys_or_appends(tmp_path):
    """Nor the other probe's samples: they are recorded while it hangs (the poller
    waits `GATHER_S` for a round's stragglers, then hands over what has ended)."""
    asked = asyncio.Event()
    answer = asyncio.Event()

    async def hanging(request: Received, reply: Reply) -> None:
        asked.set()
        await answer.wait()
        await reply.json({"error_rate": 0.01})

    routes = {"/health": json_route({"status": "ok"}), "/metrics": hanging}
    async with LoopbackServer(routes) as server:
        db, incident_id = open_incident(tmp_path, server.url("").rstrip("/"))
        with SqliteEventLog.open(db) as log:
            app = LastGoodApp(log, load_runbook(tmp_path / "loop.yaml"), actor="ada")
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert isinstance(screen, IncidentScreen)
                await wait_until(pilot, asked.is_set)
                assert server.in_flight == 1  # the metrics probe hangs

                await pilot.press("right")
                await wait_until(pilot, lambda: phase_title(screen).startswith("Phase 2/2"))
                # Roll back, the application rollback: what was done is asked for, and
                # recorded while the probe hangs.
                await pilot.press("space")
                await wait_for_screen(pilot, TextPrompt)
                app.screen.query_one("#answer", Input).value = "pipeline #4411 rolled back"
                await pilot.press("enter")
                await wait_for_screen(pilot, IncidentScreen)
                await wait_until(pilot, lambda: "[x] Roll back" in checklist_lines(screen))
                await wait_until(pilot, lambda: "health" in screen.state.samples)
                assert server.in_flight == 1 and "error-rate" not in screen.state.samples

                answer.set()
                await wait_until(pilot, lambda: "error-rate" in screen.state.samples)
                first = screen.state.samples["error-rate"][0]
                assert first.ok and first.value == 0.01
                await wait_until(pilot, lambda: settled(screen))
    events = SqliteEventLog.open(db, read_only=True).events(incident_id)
    assert [e.payload["step"] for e in events if e.kind == "step.checked"] == ["roll-back"]
    rounds = [
        [s["probe"] for s in e.payload["samples"]] for e in events if e.kind == "probe.samples"
    ]
    first_health = next(n for n, probes in enumerate(rounds) if "health" in probes)
    first_error_rate = next(n for n, probes in enumerate(rounds) if "error-rate" in probes)
    assert first_health < first_error_rate


async def test_a_key_holds_the_polls_on_the_network_thread_until_its_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process polling gives way as the child does (`tui/app/keys_first.py`): its
    poller's gate reads the flag that is set from the key's arrival until after its
    frame, and polling goes on."""
    gates: list[Gate | None] = []

    class Watched(ProbePoller):
        def __init__(self, *args: Any, gate: Gate | None = None, **kwargs: Any) -> None:
            gates.append(gate)
            super().__init__(*args, gate=gate, **kwargs)

    monkeypatch.setattr(poller, "ProbePoller", Watched)
    async with polling_app(tmp_path) as (server, _, _, app), app.run_test(size=(100, 30)) as pilot:
        screen = await incident_screen(pilot)
        await wait_until(pilot, lambda: screen.probes.key_flag is not None and bool(gates))
        flag = screen.probes.key_flag
        assert flag is not None and screen.probes.probe_child is None
        (gate,) = gates
        assert gate is not None and gate.held == flag.held
        said = await keys_noted(pilot, flag, flag.held, ("right", "left"))
        assert said == ["hold True", "release False"] * 2
        polled = len(server.requests)
        await wait_until(pilot, lambda: len(server.requests) > polled)


async def test_a_screen_gone_before_its_background_starts_starts_nothing(tmp_path) -> None:
    """The background starts a moment after the screen's first frame, on the app's
    timer: a screen replaced in that moment must not start polling when it runs."""
    async with polling_app(tmp_path) as (_, _, _, app), app.run_test(size=(100, 30)) as pilot:
        screen = await incident_screen(pilot)
        await wait_until(pilot, lambda: screen.probes.polling is not None)
        polling = screen.probes.polling
        assert polling is not None
        await app.switch_screen(Screen())
        await wait_until(pilot, polling.done)  # unmounted: its polling cancelled
        screen.start_background()  # as the timer would run it, late
        assert screen.probes.polling is polling
