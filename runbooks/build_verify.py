"""A command step's `verify:` block: how lastgood reads back that the command took.

```yaml
- id: app-rollback
  kind: command
  command: kubectl rollout undo deployment/checkout -n shop
  verify:
    command: kubectl rollout status deployment/checkout -n shop --timeout=30s
    regex: successfully rolled out     # or exit_code: 0, or json_path + equals
    within_s: 300                      # give up after (default 300)
    every_s: 5                         # between tries (default 5, at least 1)
```
"""

from __future__ import annotations

import re
from functools import cache

from runbooks.build_context import VERIFY_KEYS, seconds
from runbooks.command_text import command_problems
from runbooks.fields import Fields
from runbooks.limits import MAX_SECONDS, MIN_INTERVAL_S
from runbooks.model import CommandCheck


@cache
def _json_path() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")


_EXPECTATIONS = ("exit_code", "regex", "json_path")
DEFAULT_WITHIN_S = 300.0
DEFAULT_EVERY_S = 5.0


def read_verify(step: Fields) -> CommandCheck | None:
    """The step's `verify` block, every problem in it reported where it is."""
    block = step.mapping("verify")
    if block is None:
        return None
    fields = Fields(step.rep, step.at("verify"), block, VERIFY_KEYS, f"{step.what}'s verify")
    command = fields.text("command", required=True)
    if not step.rep.recorded:  # a snapshot passed the rules of its day
        for problem in command_problems(command or ""):
            fields.report("command", problem)
    given = [key for key in _EXPECTATIONS if fields.given(key)]
    if len(given) > 1:
        fields.report(given[1], f"say one of {', '.join(_EXPECTATIONS)}, not {' and '.join(given)}")
    exit_code = fields.integer(
        "exit_code", minimum=0, maximum=255, message="'exit_code' must be 0-255"
    )
    regex = fields.text("regex")
    if regex is not None:
        try:
            re.compile(regex)
        except re.error as error:
            fields.report("regex", f"invalid regular expression: {error}")
            regex = None
    json_path = fields.text("json_path")
    if json_path is not None and not _json_path().fullmatch(json_path):
        fields.report("json_path", "a dotted path of fields and list indexes, like status.phase")
        json_path = None
    equals = _scalar_text(fields)
    paired = fields.given("json_path") == fields.given("equals")
    if not paired:
        lone = "json_path" if fields.given("json_path") else "equals"
        fields.report(lone, "json_path and equals go together: the value at the path, and what")
    within = fields.number(
        "within_s",
        message=f"'within_s' must be a positive number of seconds (at most {MAX_SECONDS:g})",
        positive=True,
        maximum=MAX_SECONDS,
    )
    every = fields.number(
        "every_s",
        message=f"'every_s' must be {seconds(MIN_INTERVAL_S)}",
        positive=True,
        minimum=MIN_INTERVAL_S,
        maximum=MAX_SECONDS,
    )
    within_s = DEFAULT_WITHIN_S if within is None else within
    if every is not None and every > within_s and not step.rep.recorded:
        default = ", its default" if within is None else ""
        fields.report(
            "every_s",
            f"'every_s' ({every:g} s) is longer than 'within_s' ({within_s:g} s{default}): "
            "the command would be tried once and given up on at once; make every_s shorter",
        )
    if command is None or len(given) > 1 or not paired:
        return None
    return CommandCheck(
        command=command,
        exit_code=0 if exit_code is None else exit_code,
        regex=regex,
        json_path=json_path,
        equals=equals if json_path is not None else None,
        within_s=within_s,
        every_s=DEFAULT_EVERY_S if every is None else every,
    )


def _scalar_text(fields: Fields) -> str | None:
    """`equals` as written: `2.10`, `yes`, `010` and `1:30` stay that text, where YAML
    would read 2.1, true, 8 and 90 (the JSON side is read as written too)."""
    value = fields.get("equals")
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raw = fields.rep.raw(fields.at("equals"))
    if isinstance(value, bool | int | float) and raw is not None:
        return raw
    if isinstance(value, bool):  # plain data without positions (a snapshot read back)
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    fields.report("equals", "'equals' must be a string, a number or true/false")
    return None
