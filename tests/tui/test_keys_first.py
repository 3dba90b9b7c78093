"""What gives way to a key is held as the key arrives and let go a little after the
key's frame is out: once per key however many keys come before that frame, never
while a key waits for its own frame (a frame drawn before its bindings ran is not
its), each frame given its whole `AFTER_FRAME_S`, and only while added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, wait_until
from tui.app.keys_first import AFTER_FRAME_S, KeysFirst
from tui.app.widgets.incident_view import IncidentView


class Said:
    """Gives way, and notes when it was told to."""

    def __init__(self, note: list[str], name: str = "") -> None:
        self.note = note
        self.name = name

    def hold(self) -> None:
        self.note.append(f"hold{self.name}")

    def release(self) -> None:
        self.note.append(f"release{self.name}")


class Timers:
    """`App.set_timer` on a clock of the test's: the callbacks wait until the test runs
    them, and the clock moves on to when each was due."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waiting: list[tuple[float, Callable[[], None]]] = []
        """(delay, callback), as asked for."""
        self._due: list[float] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> None:
        self.waiting.append((delay, callback))
        self._due.append(self.now + delay)

    def run(self) -> None:
        waiting, due = self.waiting, self._due
        self.waiting, self._due = [], []
        for (_, callback), at in zip(waiting, due, strict=True):
            self.now = max(self.now, at)
            callback()


def watched(
    *names: str, on_their_way: Callable[[], bool] = lambda: False
) -> tuple[KeysFirst, Timers, list[str]]:
    """Keys first on test timers, with one `Said` added per name: what they note."""
    note: list[str] = []
    timers = Timers()
    keys_first = KeysFirst(timers, on_their_way=on_their_way, now=lambda: timers.now)
    for name in names:
        keys_first.add(Said(note, name))
    return keys_first, timers, note


def test_keys_before_one_frame_hold_once_and_are_let_go_after_it() -> None:
    keys_first, timers, note = watched(" a", " b")
    keys_first.frame_shown()  # a frame with no key before it
    assert timers.waiting == []
    keys_first.key_arrived()
    keys_first.key_arrived()
    assert note == ["hold a", "hold b"]
    keys_first.frame_shown()
    keys_first.frame_shown()
    assert note == ["hold a", "hold b"]  # not yet: the terminal is still drawing it
    assert [delay for delay, _ in timers.waiting] == [AFTER_FRAME_S]
    timers.run()
    assert note == ["hold a", "hold b", "release a", "release b"]
    timers.run()
    keys_first.frame_shown()
    assert timers.waiting == [] and len(note) == 4


def test_a_key_after_the_frame_keeps_the_hold_until_its_own_frame() -> None:
    keys_first, timers, note = watched("")
    keys_first.key_arrived()
    keys_first.frame_shown()
    keys_first.key_arrived()  # before the first frame's hold was let go
    timers.run()
    assert note == ["hold"]
    keys_first.frame_shown()
    timers.run()
    assert note == ["hold", "release"]


def test_a_second_frame_before_the_let_go_gets_its_own_wait() -> None:
    keys_first, timers, note = watched("")
    keys_first.key_arrived()
    keys_first.frame_shown()
    keys_first.key_arrived()
    timers.now += AFTER_FRAME_S * 3 / 4
    keys_first.frame_shown()  # the second key's frame, while the first let-go waits
    assert len(timers.waiting) == 1
    timers.run()
    assert note == ["hold"]  # a quarter of the wait after the second frame: too soon
    assert [round(delay, 6) for delay, _ in timers.waiting] == [round(AFTER_FRAME_S * 3 / 4, 6)]
    timers.run()
    assert note == ["hold", "release"]
    assert timers.now == AFTER_FRAME_S * 7 / 4


def test_a_later_frame_of_the_same_keys_does_not_stretch_the_hold() -> None:
    keys_first, timers, note = watched("")
    keys_first.key_arrived()
    keys_first.frame_shown()  # the key's frame
    timers.now += AFTER_FRAME_S / 2
    keys_first.frame_shown()  # what the key left for later (the footer's keys), drawn
    timers.run()
    assert note == ["hold", "release"]
    assert timers.now == AFTER_FRAME_S


def test_a_frame_drawn_before_the_key_reached_its_bindings_is_not_its_frame() -> None:
    on_their_way = [True]
    keys_first, timers, note = watched("", on_their_way=lambda: on_their_way[0])
    keys_first.key_arrived()
    keys_first.frame_shown()  # the clock's refresh, drawn while the key is on its way
    assert timers.waiting == [] and note == ["hold"]
    on_their_way[0] = False  # its verb has run
    keys_first.frame_shown()
    timers.run()
    assert note == ["hold", "release"]


def test_what_was_removed_is_told_nothing() -> None:
    keys_first, timers, note = watched()
    said = Said(note)
    keys_first.add(said)
    keys_first.remove(said)
    keys_first.remove(said)  # twice: a child that failed, then the screen going
    keys_first.key_arrived()
    keys_first.frame_shown()
    timers.run()
    assert note == []


async def test_a_key_holds_until_after_the_frame_that_shows_it(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "keys.db")
    async with coordinator_on(scenario) as (app, pilot, screen):
        view = screen.query_one(IncidentView)
        note: list[str] = []
        shown_at_release: list[str] = []

        class Watching(Said):
            def release(self) -> None:
                shown_at_release.append(view.phase_id)
                super().release()

        app.keys_first.add(Watching(note))
        before = view.phase_id
        await pilot.press("right")
        await wait_until(pilot, lambda: note == ["hold", "release"])
        assert shown_at_release == [view.phase_id] and view.phase_id != before


async def test_a_key_is_on_its_way_until_its_verb_has_run(tmp_path: Path) -> None:
    """Frames drawn while the verb has yet to run do not let the hold go: the app says
    the key is on its way until it has come back up to the bindings."""
    scenario = scenario_copy("mid-phase-2", tmp_path / "on-its-way.db")
    async with coordinator_on(scenario) as (app, pilot, screen):
        on_its_way: list[bool] = []
        switch = screen.action_phase

        def watched_switch(delta: int) -> None:
            on_its_way.append(app.keys_on_their_way)
            switch(delta)

        screen.action_phase = watched_switch  # type: ignore[method-assign]
        assert not app.keys_on_their_way
        await pilot.press("right")
        await wait_until(pilot, lambda: on_its_way == [True] and not app.keys_on_their_way)
