"""An incident whose every text field looks like markup or carries escapes.

It must open on every screen (coordinator, attach, replay), show each text as it
was written, never put a raw control character on the terminal, and keep its
clock ticking: a note holding `[/bold]` once froze the live screen and made the
incident unopenable for good. Its commander, the team paged and who recorded each
event hold escapes as a version that took any name wrote them (`written_before`:
a name holding a control is refused where it is typed today, and still read).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from msgspec.structs import replace
from textual.app import App
from textual.notifications import Notification
from textual.pilot import Pilot

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.phase_clocks import format_offset
from incident.core.samples import Outcome, Sample
from incident.core.text import has_control
from runbooks import load_runbook, resolve_runbook
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog
from tests.hostile import BIDI_BYTES, ESCAPES, INVISIBLE_BYTES, hostile, written_before
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.replay_app import ReplayApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.replay import ReplayScreen

T0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)
ACTOR = hostile("actor")[:150]


def markup_runbook() -> Runbook:
    """The bundled runbook with a phase and a step titled like markup (as an old
    snapshot could be: today's loader refuses control characters in runbooks)."""
    runbook = load_runbook(resolve_runbook("rollback"))
    first = runbook.phases[0]
    step = replace(first.steps[0], title="Restart pod [checkout-7f9] [/bold]")
    phase = replace(first, title="Decide [@click=app.quit]now[/]", steps=(step, *first.steps[1:]))
    return replace(runbook, phases=(phase, *runbook.phases[1:]))


def record_hostile_incident(path: Path, clock: ManualClock) -> tuple[str, Runbook]:
    runbook = markup_runbook()
    with SqliteEventLog.open(path) as log:
        declared = commands.declare(
            runbook,
            Declaration(
                title=hostile("title"),
                severity="SEV2",
                commander="Ada",
                issue=hostile("issue"),
                channel=hostile("channel"),
                from_version=hostile("from"),
                last_good_version=hostile("good"),
            ),
            actor=ACTOR,
            clock=clock,
            incident_id="INC-20261128-BAD1",
        )
        log.append([written_before(declared, commander=hostile("commander"))])
        session = IncidentSession(log, declared.incident_id, clock)
        step = runbook.phases[0].steps[0].id
        session.run(
            lambda s: commands.check_step(s, step, actor=ACTOR, clock=clock, note=hostile("n"))
        )
        session.run(
            lambda s: commands.skip_step(
                s, "create-channel", reason=hostile("skip"), actor=ACTOR, clock=clock
            )
        )
        session.run(lambda s: commands.add_note(s, hostile("note"), actor=ACTOR, clock=clock))
        session.run(
            lambda s: written_before(
                commands.record_page(s, "ops", actor=ACTOR, clock=clock, note=hostile("why")),
                target=hostile("team"),
            )
        )
        session.run(
            lambda s: commands.send_communication(
                s, text=hostile("message"), actor=ACTOR, clock=clock
            )
        )
        session.run_many(
            lambda s: commands.record_samples(
                s, hostile_answers(clock), actor="monitor", clock=clock
            )
        )
    return declared.incident_id, runbook


def hostile_answers(clock: ManualClock) -> list[Sample]:
    """What the probed services said: a version body, and a failure's own words."""
    now = clock.now()
    return [
        Sample("version", now, Outcome.OK, 12.0, 200, text=hostile("version")),
        Sample("health", now, Outcome.ERROR, 3.0, 500, detail=hostile("health")),
    ]


def screen_text(app: App[None]) -> str:
    """Everything on the terminal, as the strips the compositor would write."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_shown_as_written(shown: str) -> None:
    for snippet in ("pod [checkout-7f9]", "[/bold]", "Decide [@click=app.quit]now[/]"):
        assert snippet in shown, snippet
    assert (
        "title ␛[2J␛[H␛]0;pwned␇␛]52;c;Y3VybCBldmlsfHNo␇␇\\x9b31mx␡yab␈␈fine␍overwritten" in shown
    )
    assert "[/bold] [@click=app.quit]x[/] [link=https://evil.example]click[/link]" in shown
    assert "overwritten\\u202efdp.exe" in shown
    assert "\\u200b\\ufeff\\U000e0041" in shown  # the invisible, named
    assert "\\u200e\\u200f\\u061c\\u3164x\\u200d" in shown  # marks, filler, a stray joiner
    raw = {hex(ord(c)) for c in shown if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0}
    assert raw == set()
    assert not {c for c in shown if c.encode() in (*INVISIBLE_BYTES, *BIDI_BYTES)}


@asynccontextmanager
async def coordinator_on_hostile_incident(
    tmp_path: Path, clock: ManualClock, width: int = 250
) -> AsyncIterator[tuple[LastGoodApp, Pilot[None]]]:
    """The coordinator's screen on the hostile incident, 30 s after it was declared;
    `width` wide enough to show the whole title, whose escapes take 6-10 columns each."""
    incident_id, runbook = record_hostile_incident(tmp_path / "bad.db", clock)
    clock.advance(30)
    with SqliteEventLog.open(tmp_path / "bad.db") as log:
        app = LastGoodApp(
            log, runbook, clock=clock, actor=ACTOR, incident_id=incident_id, network=False
        )
        async with app.run_test(size=(width, 50)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            yield app, pilot


async def test_the_coordinator_screen_shows_markup_and_escapes_as_text(tmp_path):
    clock = ManualClock(T0)
    async with coordinator_on_hostile_incident(tmp_path, clock, width=300) as (app, pilot):
        shown = screen_text(app)
        assert_shown_as_written(shown)
        assert "Paged team ␛[2J␛[H␛]0;pwned␇" in shown  # a name an older version took
        # The clock keeps ticking: nothing froze the screen's timers.
        clock.advance(125)
        later = format_offset(clock.now() - T0)
        await wait_until(pilot, lambda: later in screen_text(app))
        # A toast quoting the text shows it as text too, whoever raises it.
        app.screen.notify(hostile("toast"), title="[b]t[/b]" + ESCAPES["bell"])

        # Found by its title as written (parsed as markup it would read "t"), among the
        # screen's own news (the poller's lapse, once the clock moved on).
        def titled() -> list[Notification]:
            return [n for n in app._notifications if n.title == "[b]t[/b]␇"]

        await wait_until(pilot, lambda: len(titled()) == 1)
        toast = titled()[0]
        assert toast.markup is False
        assert "[@click=app.quit]x[/]" in toast.message and "␛]52;c;" in toast.message
        assert not has_control(toast.message)
        assert_shown_as_written(screen_text(app))
        assert app.screen is not None and isinstance(app.screen, IncidentScreen)


async def test_attach_and_replay_open_the_same_incident(tmp_path):
    clock = ManualClock(T0)
    incident_id, _ = record_hostile_incident(tmp_path / "bad.db", clock)
    log = SqliteEventLog.open(tmp_path / "bad.db", read_only=True)
    try:
        follow_clock = ManualClock(T0)
        follow_clock.advance(60)
        follower = FollowApp(log, incident_id, clock=follow_clock)
        async with follower.run_test(size=(280, 50)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            assert_shown_as_written(screen_text(follower))
            follow_clock.advance(125)
            later = format_offset(follow_clock.now() - T0)
            await wait_until(pilot, lambda: later in screen_text(follower))
        events = log.events(incident_id)
    finally:
        log.close()
    replay = ReplayApp(events, playing=False)
    async with replay.run_test(size=(280, 50)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        await pilot.press("end")
        screen = replay.screen
        assert isinstance(screen, ReplayScreen)
        await wait_until(pilot, lambda: screen.replay.replayer.position == len(events))
        assert_shown_as_written(screen_text(replay))


async def test_a_probed_version_in_the_step_hint_is_shown_as_text(tmp_path):
    """The guidance's hint quotes the version a service answered and the last-good
    version someone typed ("not yet: version … running, expected …"); both reached
    the terminal raw, so a version body holding `ESC ]0;` retitled the window and
    `ESC [2J` blanked the checklist."""
    async with coordinator_on_hostile_incident(tmp_path, ManualClock(T0)) as (app, pilot):
        await pilot.press("right", "right")  # phase 3, Verification: "Confirm version"
        await wait_until(pilot, lambda: "running, expected good" in screen_text(app))
        shown = screen_text(app)
        assert "version ␛[2J␛[H␛]0;pwned␇" in shown
        hint = shown[shown.index("running, expected good") :]
        assert "␛[2J␛[H␛]0;pwned␇" in hint  # wrapped onto the next line, as text
        assert_shown_as_written(shown)  # and no raw control anywhere
