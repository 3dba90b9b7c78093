"""What gives way to a key is held as the key arrives and let go a little after the
next frame is out: once per key however many keys come before that frame, never
while a key waits for its own frame, and only while added."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.keys_first import AFTER_FRAME_S, KeysFirst
from tui.app.screens.incident import IncidentScreen
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
    """`App.set_timer` for a test: the callbacks wait until the test runs them."""

    def __init__(self) -> None:
        self.waiting: list[tuple[float, Callable[[], None]]] = []

    def __call__(self, delay: float, callback: Callable[[], None]) -> None:
        self.waiting.append((delay, callback))

    def run(self) -> None:
        due, self.waiting = self.waiting, []
        for _, callback in due:
            callback()


def watched(*names: str) -> tuple[KeysFirst, Timers, list[str]]:
    """Keys first on test timers, with one `Said` added per name: what they note."""
    note: list[str] = []
    timers = Timers()
    keys_first = KeysFirst(timers)
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


def test_a_second_frame_before_the_let_go_counts_for_the_key_it_shows() -> None:
    keys_first, timers, note = watched("")
    keys_first.key_arrived()
    keys_first.frame_shown()
    keys_first.key_arrived()
    keys_first.frame_shown()  # the second key's frame, while the first let-go waits
    assert len(timers.waiting) == 1
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
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        view = app.screen.query_one(IncidentView)
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
