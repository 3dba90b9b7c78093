"""The baseline for `bench/startup.py`: about the least a Textual app can show.

A Static holding a marker and a Footer, started with the same interpreter as
`lastgood start`, so the ratio says what lastgood adds over Textual itself.

    python bench/minimal_app.py [MARKER]
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

DEFAULT_MARKER = "minimal-app-first-frame"


class MinimalApp(App[None]):
    """One line of text and the key bar; nothing loaded, nothing polled."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker
        """The text the benchmark waits for on screen."""

    def compose(self) -> ComposeResult:
        yield Static(self.marker)
        yield Footer()


if __name__ == "__main__":
    MinimalApp(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MARKER).run()
