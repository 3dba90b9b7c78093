"""The text of the terminal as the coordinator reads it: no colours, no styles.

What an app writes is the compositor's update (the modal over the screens beneath);
recorded by a Rich console and exported as plain text, it is what a NO_COLOR
terminal shows minus bold, underline and reverse.
"""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def screen_lines(app: App[object]) -> list[str]:
    """The terminal's rows, top to bottom, as written by the app's last full frame."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False).splitlines()
