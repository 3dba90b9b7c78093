"""`python -m tui.cli`: how `serve` starts each browser's `attach`."""

from tui.cli.entry import run

run()
