"""Waiting on an app that never idles: its clocks tick every second."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING

from textual.pilot import Pilot
from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app.app import LastGoodApp
    from tui.app.screens.incident import IncidentScreen
    from tui.demo.scenarios import Scenario


WAIT_S = 60.0
"""How long `wait_until` waits before it fails: a net against a hang, not a measure. A
wait returns the moment its predicate holds, so a long net costs a passing test
nothing; 5 s failed correct tests on a loaded machine (load 9-14 on 2 cores), where a
skip reason typed ahead took up to 22 s to be recorded."""


async def wait_until(
    pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = WAIT_S
) -> None:
    """Return once `predicate()` holds: at once if it already does, else once it holds
    after a `pilot.pause` (every widget of the screen has handled what it was sent, and
    the screen is redrawn).

    Between checks the test sleeps 20 ms on the event loop, the app running meanwhile;
    the pause runs only once the predicate holds, to check it again. A pause sends each
    widget of the screen a message and waits for all of them: polling with one every
    20 ms cost about 80 ms of CPU per second of waiting on the coordinator's screen, a
    plain sleep about 10."""
    if predicate():
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        assert loop.time() < deadline, "timed out waiting for the app"
        await asyncio.sleep(0.02)
        if predicate():
            await pilot.pause(0)
            if predicate():
                return


def settled(screen: object) -> bool:
    """No job of the screen's recorder waits to run, or to be shown (true without one)."""
    recorder = getattr(screen, "recorder", None)
    return recorder is None or recorder.pending == 0


async def wait_for_screen(pilot: Pilot[object], screen_type: type[Screen[object]]) -> None:
    """`screen_type` on top, with whatever its recorder was asked to record on screen."""
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and settled(pilot.app.screen),
    )
    await pilot.pause()


async def wait_for_ticks(pilot: Pilot[object], screen: object, ticks: int = 1) -> None:
    """`ticks` more of the coordinator screen's once-a-second reads started and recorded:
    what a test asserting that a tick changed nothing waits for, rather than a pause
    that a loaded machine may end before any tick ran."""
    from tui.app.screens.incident import IncidentScreen

    assert isinstance(screen, IncidentScreen)
    target = screen.reads + ticks
    await wait_until(
        pilot, lambda: screen.reads >= target and settled(screen), timeout=WAIT_S + ticks
    )


async def fill_form(pilot: Pilot[object], submit: str = "ctrl+s", **values: object) -> None:
    """Fill the generic verb form's fields by parameter name, then submit it."""
    from textual.widgets import Checkbox, Input, Select, TextArea

    from tui.app.modals.verb_form import VerbForm

    await wait_for_screen(pilot, VerbForm)
    form = pilot.app.screen
    for name, value in values.items():
        widget = form.query_one(f"#param-{name}")
        if isinstance(widget, Checkbox):
            widget.value = bool(value)
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.load_text(str(value))
        else:
            assert isinstance(widget, Input)
            widget.value = str(value)
    await pilot.press(submit)


async def from_palette(pilot: Pilot[object], title: str) -> None:
    """Run a command by its title through the command palette, as a person would: type
    the title until its command is the first hit, then select it.

    Each key typed is a search through every command and a redraw of the list over the
    screen, about 20 ms of CPU: the titles come first after 1-5 of their characters
    ("Action done" after 8, "Post-mortem" after all 11), where typing them whole cost
    a test up to 0.35 s of CPU for each command it ran from the palette."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await wait_for_screen(pilot, CommandPalette)
    palette_screen = pilot.app.screen
    results = palette_screen.query_one(CommandList)

    def first() -> object:
        return results.get_option_at_index(0) if results.option_count else None

    def searched(shown: object) -> bool:
        """The search for what is typed has finished (results stream in, and may reorder
        until it has): its hits replaced those `shown` first before the key (each search
        lists new options, and a prefix of the title has at least the title's hit)."""
        gathering = any(
            worker.group == CommandPalette._GATHER_COMMANDS_GROUP and not worker.is_finished
            for worker in palette_screen.workers
        )
        now = first()
        return not gathering and now is not None and now is not shown

    def first_is_title() -> bool:
        prompt = getattr(first(), "prompt", None)
        return str(getattr(prompt, "plain", prompt)).split("\n")[0] == title

    for ch in title:
        replaced = partial(searched, first())
        await pilot.press("space" if ch == " " else ch)
        await wait_until(pilot, replaced)
        if first_is_title():
            break
    assert first_is_title(), f"{title!r} typed whole is not the first hit"
    palette = pilot.app.screen
    # The palette highlights the first hit itself when it redraws its list, or leaves
    # none highlighted: a blind `down` then picked the second hit ("Action item" for
    # "Action done"). Move until the first is highlighted, whichever it did.
    while results.highlighted != 0:
        await pilot.press("down" if results.highlighted is None else "up")
    await pilot.press("enter")  # selects the command, and may run it at once
    await wait_until(
        pilot,
        lambda: palette not in pilot.app.screen_stack or not results.has_class("--visible"),
    )
    if pilot.app.screen is palette:
        await pilot.press("enter")  # runs the selected command
    await wait_until(pilot, lambda: pilot.app.screen is not palette)


def highlight(screen: object, step_id: str) -> None:
    """Show the step's phase and highlight the step, as arrows and ← → would."""
    from tui.app.screens.incident import IncidentScreen
    from tui.app.widgets.checklist import Checklist

    assert isinstance(screen, IncidentScreen)
    phase = screen.state.steps[step_id].step.phase_id
    while screen.view.phase_id != phase:
        screen.action_phase(1)
    checklist = screen.query_one(Checklist)
    checklist.highlighted = next(
        i for i in range(checklist.option_count) if checklist.get_option_at_index(i).id == step_id
    )


def scenario_app(scenario: Scenario, actor: str = "ada") -> LastGoodApp:
    """The app as `lastgood start --incident ID --no-probes` opens a scenario's record,
    on the scenario's clock, with Ada at the keyboard."""
    from tui.app.app import LastGoodApp

    return LastGoodApp(
        scenario.log,
        scenario.runbook,
        clock=scenario.clock,
        actor=actor,
        incident_id=scenario.incident_id,
        network=False,
    )


@asynccontextmanager
async def coordinator_on(
    scenario: Scenario, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[LastGoodApp, Pilot[object], IncidentScreen]]:
    """`scenario_app` at `size`, its coordinator's screen up and settled."""
    from tui.app.screens.incident import IncidentScreen

    app = scenario_app(scenario)
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        yield app, pilot, screen
