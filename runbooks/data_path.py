"""Where a value sits in a runbook's plain data, and the mark of one already reported.

The builder (`runbooks.build`) reads plain data from a YAML file or from the JSON
snapshot an incident keeps of its runbook; only the first needs PyYAML. These
names are what both share, kept apart from `runbooks.yaml_nodes` so rebuilding an
incident's runbook (every `lastgood status`) does not load the YAML parser.
"""

from __future__ import annotations

from typing import Final

from msgspec import Struct, field

DataPath = tuple[str | int, ...]
"""Keys and indexes from the top of the document to a value."""


class Invalid:
    """Stands for a value already reported as a problem, so it is not reported twice."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = Invalid()


class Positions(Struct):
    """1-based (line, column) of values and keys, by path, plus the source text of scalars.

    `raw` holds the text of plain scalars YAML read as something other than a
    string (`404`, `yes`, `1.0`), so a field that wants text can take them as written.
    """

    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    raw: dict[DataPath, str] = field(default_factory=dict)
    breaks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    """Where the first line break of a multi-line string is written (its `\\n` escape)
    or, for a literal one, where the string starts: for fields that must be one line."""
