"""Placeholders in a command step's shell command: `{last_good_version}` and the like.

A custom rollback has to name the release it goes back to, and a version written into
the runbook goes stale with the next release. So a step's `command` (and its verify
command) may name the incident's facts as `{name}`, filled in when the step runs, each
value shell-quoted (`shlex.quote`): a value is data, never shell syntax, whatever the
person declaring typed. A placeholder inside quotes would be quoted twice (`'{id}'`
runs `''INC-1''`, and a value with a `;` would end the quoting), so it is refused where
it is written: lastgood quotes the value itself.

Braces are shell syntax too (`awk '{print $1}'`, `find -exec rm {} +`, `${HOME}`): only
`{name}` with a name of letters, digits and `_` is read, never after a `$`; inside
quotes only the placeholders themselves (or a near miss of one) are. Outside quotes a
`{word}` that is no placeholder is refused rather than run as typed, and `{{word}}`
writes the braces themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from msgspec import Struct

from runbooks.checks import closest
from runbooks.model import TEMPLATE_PLACEHOLDERS

COMMAND_PLACEHOLDERS: dict[str, str] = {
    "id": "the incident's id",
    "title": "the incident's title",
    "severity": "the severity (SEV1-SEV4)",
    "issue": "the issue, else the title",
    "commander": "the incident commander",
    "channel": "the incident channel (`--channel`)",
    "from_version": "the release being rolled back (`--from-version`)",
    "last_good_version": "the release rolled back to (`--last-good`)",
    "pattern": "the deployment pattern (`--pattern`)",
}
"""What a command may name, and what each is filled with: the incident's facts, fixed
once it is declared. The messages' clock-time, progress and production placeholders
(`{eta}`, `{time}`, `{elapsed}`, `{phase}`, `{next_update}`, `{next_update_sentence}`,
`{status}`, `{rollback_sentence}`, `{service_now}`, `{version_now}`) change as the
incident goes on and mean nothing to a shell command."""

_BRACED = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""`{{name}}` (the braces themselves) or `{name}`."""


class _Braced(Struct, frozen=True):
    start: int
    end: int
    name: str
    escaped: bool
    """Written `{{name}}`: the text `{name}`, no placeholder."""
    quoted: bool
    """Inside single or double quotes, as the shell reads them."""


def _quoted_at(command: str) -> list[bool]:
    """For each character of `command`, whether the shell reads it inside quotes.

    Single quotes take everything to the next `'`; double quotes take a backslash as an
    escape; outside quotes a backslash escapes the next character."""
    inside: list[bool] = []
    quote = ""
    escaped = False
    for ch in command:
        if escaped:
            inside.append(bool(quote))
            escaped = False
        elif quote == "'":
            inside.append(True)
            quote = "" if ch == "'" else quote
        elif quote == '"':
            inside.append(True)
            if ch == "\\":
                escaped = True
            elif ch == '"':
                quote = ""
        else:
            inside.append(ch in "'\"")
            if ch == "\\":
                escaped = True
            elif ch in "'\"":
                quote = ch
    return inside


def _braced(command: str) -> Iterator[_Braced]:
    inside = _quoted_at(command)
    for match in _BRACED.finditer(command):
        if match.start() > 0 and command[match.start() - 1] == "$":
            continue  # `${NAME}`: the shell's own variable
        escaped = match.group(1) is not None
        name = match.group(1) or match.group(2)
        yield _Braced(match.start(), match.end(), name, escaped, inside[match.start()])


def placeholder_list() -> str:
    """Every placeholder a command takes, for a message: `id, title, ...`, whole."""
    return ", ".join(COMMAND_PLACEHOLDERS)


def command_problems(command: str) -> list[str]:
    """What is wrong with the placeholders in a step's shell command, one line each."""
    problems: list[str] = []
    for found in _braced(command):
        name = found.name
        if found.escaped:
            continue
        known = name in COMMAND_PLACEHOLDERS
        if found.quoted and known:
            problems.append(
                f"placeholder '{{{name}}}' inside quotes: write it unquoted, "
                "lastgood quotes the value for the shell"
            )
            continue
        if known:
            continue
        guess = closest(name, COMMAND_PLACEHOLDERS)
        if found.quoted and guess is None:
            continue  # `awk '{print}'`, `jq '{name}'`: shell text, not meant for lastgood
        if name in TEMPLATE_PLACEHOLDERS:
            why = f"'{{{name}}}' is a message placeholder: it changes as the incident goes on"
        else:
            hint = f"did you mean '{guess}'? " if guess else ""
            why = f"unknown placeholder '{{{name}}}' ({hint}write '{{{{{name}}}}}' for braces)"
        problems.append(f"{why}; a command takes {placeholder_list()}")
    return problems


def command_placeholders(command: str) -> tuple[str, ...]:
    """The placeholders `command` fills, in order of first use."""
    names = [f.name for f in _braced(command) if not f.escaped and f.name in COMMAND_PLACEHOLDERS]
    return tuple(dict.fromkeys(names))


class UnfilledCommand(ValueError):
    """A command names a placeholder it cannot be given: its value is missing, or it
    stands inside quotes (a runbook read before the loader refused that)."""


def fill_command(command: str, values: Mapping[str, str]) -> str:
    """`command` with each placeholder replaced by its value, shell-quoted, and each
    `{{name}}` by `{name}`; other text as written. `UnfilledCommand` names a
    placeholder whose value is empty or missing, or one written inside quotes."""
    import shlex  # here: only a command that runs is filled

    out: list[str] = []
    position = 0
    for found in _braced(command):
        out.append(command[position : found.start])
        position = found.end
        if found.escaped:
            out.append("{" + found.name + "}")
        elif found.name not in COMMAND_PLACEHOLDERS:
            out.append(command[found.start : found.end])
        elif found.quoted:
            raise UnfilledCommand(f"placeholder '{{{found.name}}}' stands inside quotes")
        elif not (value := values.get(found.name, "")):
            raise UnfilledCommand(f"'{{{found.name}}}' has no value")
        else:
            out.append(shlex.quote(value))
    out.append(command[position:])
    return "".join(out)
