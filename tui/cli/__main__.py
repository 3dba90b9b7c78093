"""`python -m tui.cli`: how `serve` starts each browser's `attach`."""

from tui.cli.main import run

run()
