"""What a Markdown runbook has that loads otherwise than written: notes, not problems.

bad/tabs.md of ux_review17 #13: `- [x] already done` loaded as an open step, and a
tab-indented `- [ ] tabbed task` became guidance of the step above; `validate` said
nothing of either.
"""

from __future__ import annotations

import re

NESTED_BOX = re.compile(r"^\s+([-*+][ \t]+\[[ xX]\].*)$")
"""A checkbox indented under a task: read as its guidance, not as a task."""


def nested_note(number: int, task: str, under: int) -> str:
    """The note for a nested task on line `number`, under the task on line `under`."""
    return (
        f"line {number}: the nested task '{task.strip()}' is read as guidance of the task "
        f"on line {under}, not a step (start it at the line's beginning to make it one)"
    )


def ticked_note(number: int, line: str) -> str:
    """The note for a `- [x]` task on line `number`."""
    return (
        f"line {number}: '{line.strip()}' is ticked, but loads as an open step "
        "(every incident starts with its steps open)"
    )
