"""Judging a verify command's answer against what the runbook expects it to show."""

from __future__ import annotations

import json
import re

from incident.core.text import visible
from incident.health.probe_answers import ABSENT, value_at
from runbooks.model import CommandCheck

SHOWN_CHARS = 80
"""Longest piece of output quoted in the evidence."""


def judge(check: CommandCheck, exit_code: int, output: str) -> tuple[bool, str]:
    """Whether the answer shows what `check` expects, and what it showed, in one line."""
    if check.regex is not None:
        found = re.search(check.regex, output)
        if found is None:
            return False, f"no match for /{check.regex}/ (exit {exit_code})"
        return True, f"output matched /{check.regex}/: {_quoted(found.group(0))}"
    if check.json_path is not None:
        return _json_check(check.json_path, check.equals or "", output)
    if exit_code == check.exit_code:
        return True, f"exit {exit_code}"
    return False, f"exit {exit_code}, expected {check.exit_code}"


def _json_check(path: str, equals: str, output: str) -> tuple[bool, str]:
    """The value at `path` against `equals`, both as written: a JSON number keeps its
    text (`2.10`, not 2.1), as the runbook's `equals` does."""
    try:
        node: object = json.loads(output, parse_float=str, parse_int=str, parse_constant=str)
    except (ValueError, RecursionError):
        return False, f"output is not JSON: {_quoted(output.strip())}"
    node = value_at(node, path)
    if node is ABSENT:
        return False, f"no {path} in the JSON"
    text = _scalar(node)
    if text is None:
        return False, f"{path} is an object or a list, not a value"
    spelled = _SPELLED.get(text, frozenset()) if node in (True, False, None) else frozenset()
    if text == equals or equals in spelled:
        return True, f"{path} is {_quoted(text)}"
    return False, f"{path} is {_quoted(text)}, expected {_quoted(equals)}"


_SPELLED: dict[str, frozenset[str]] = {
    "true": frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}),
    "false": frozenset({"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}),
    "null": frozenset({"null", "Null", "NULL", "~", ""}),
}
"""How a runbook's YAML writes JSON's true, false and null: `equals: True` (or `yes`)
met a JSON true before `equals` was kept as written, and must still."""


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _quoted(text: str) -> str:
    line = visible(" ".join(text.split()))
    return repr(line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…")
