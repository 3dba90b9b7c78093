"""Watching what gives way to the coordinator's keys (`tui/app/keys_first.py`) in a
running app: each hold and release noted with what the poller's gate would read then."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.pilot import Pilot

from tests.tui.pilot_helpers import wait_until
from tui.app.keys_first import GivesWay


async def keys_noted(
    pilot: Pilot[object], work: GivesWay, held: Callable[[], bool], keys: Sequence[str]
) -> list[str]:
    """Press `keys` one by one, each once `work` has let go after the one before;
    return "hold True", "release False"... as `work` was told, with `held()` after."""
    said: list[str] = []
    hold, release = work.hold, work.release

    def holding() -> None:
        hold()
        said.append(f"hold {held()}")

    def releasing() -> None:
        release()
        said.append(f"release {held()}")

    work.hold, work.release = holding, releasing  # type: ignore[method-assign]
    try:
        for key in keys:
            count = len(said)
            await pilot.press(key)
            await wait_until(pilot, lambda: len(said) >= count + 2)  # noqa: B023
    finally:
        work.hold, work.release = hold, release  # type: ignore[method-assign]
    return said
