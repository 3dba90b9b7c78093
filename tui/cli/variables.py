"""The environment variables lastgood reads: set but empty is refused, naming the
variable, and bytes that are not UTF-8 are one line, not a traceback deep in a write."""

from __future__ import annotations

import os

from tui.cli.edges import recovered, utf8_problem
from tui.cli.errors import CliError


def set_variable(name: str, needs: str) -> str | None:
    """An environment variable lastgood reads, None when it is not set. Set but empty
    (or blank) it is refused, naming it, as the empty option is: taken for 'not
    given', the next source (git's name, the default file) answered in its place."""
    if name not in os.environ:
        return None
    value = environment(name)
    if not value.strip():
        raise CliError(f"${name} needs {needs}, not an empty string (or leave it unset)")
    return value


def environment(name: str) -> str:
    """An environment variable lastgood reads; one line if it holds bytes that are not UTF-8."""
    value = recovered(os.environ.get(name, ""))
    if problem := utf8_problem(value):
        raise CliError(f"${name} is not valid UTF-8 ({problem})")
    return value
