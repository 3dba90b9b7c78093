"""Reading plain data field by field, reporting each mistake where it was made.

`Reporter` turns a data path (`("phases", 0, "steps", 2, "kind")`) into a
`Problem` at the line and column YAML recorded for it; for data without
positions (a snapshot read back from JSON) it prefixes the message with the path
instead. `Fields` reads one mapping: it reports unknown keys (with the closest
known one), missing and mistyped values, and hands back typed values or None.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from runbooks.checks import choices_hint, closest, id_problem, too_long
from runbooks.data_path import INVALID, DataPath, Positions
from runbooks.limits import MAX_HINT_COMPARISONS, MAX_PROSE_CHARS, MAX_TITLE_CHARS
from runbooks.problems import Problem

E = TypeVar("E", bound=StrEnum)


SINGLE_LINE_KEYS = frozenset(
    {
        "runbook", "id", "name", "title", "kind", "owner", "approver", "probe", "template",
        "op", "unit", "json_field", "data_loss", "url", "file", "section", "mode", "on",
        "default_pattern",
    }
)  # fmt: skip
"""Fields that hold a name, a title or a reference: shown on one line, so a line
break in them is refused (guidance, summaries, templates and commands may wrap)."""

TEXT_LIMITS = {
    "title": MAX_TITLE_CHARS,
    **dict.fromkeys(("guidance", "summary", "description"), MAX_PROSE_CHARS),
}
"""The longest text some fields may hold, in characters (`runbooks.limits`)."""


def format_path(path: DataPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


class Reporter:
    """Collects problems for one file, placing them by data path."""

    def __init__(self, file: str, positions: Positions | None) -> None:
        self.file = file
        self.positions = positions
        self.recorded = positions is None
        """Whether the data is an incident's snapshot of its runbook, read back from the
        record: it passed the rules of its day, and the limits added since (`minimum`,
        `TEXT_LIMITS`) are held to files only, so an incident declared before stays
        readable."""
        self.problems: list[Problem] = []
        self.hint_budget = MAX_HINT_COMPARISONS

    def where(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        if self.positions is None:
            return 1, 1
        if key and path in self.positions.keys:
            return self.positions.keys[path]
        probe = path
        while probe:
            if probe in self.positions.values:
                return self.positions.values[probe]
            probe = probe[:-1]
        return self.positions.values.get((), (1, 1))

    def report(self, path: DataPath, message: str, *, key: bool = False) -> None:
        line, col = self.where(path, key=key)
        if self.positions is None and path:
            message = f"{format_path(path)}: {message}"
        self.problems.append(Problem(self.file, line, col, message))

    def location(self, path: DataPath) -> str:
        """Where `path` is, for "(first at ...)" messages."""
        if self.positions is None:
            return format_path(path)
        return f"line {self.where(path)[0]}"

    def place(self, path: DataPath) -> str:
        """Where `path` is, with the file (`rollback.yaml:10`), for a "(first at ...)"
        message that may be told in another file: `first_at` shortens it in this one."""
        if self.positions is None:
            return format_path(path)
        return f"{self.file}:{self.where(path)[0]}"

    def hint(self, word: str, choices: Collection[str], label: str) -> str:
        """`choices_hint` for a reference to something the runbook defines, guessing
        only while the budget lasts (the lists, and the problems, grow with the file)."""
        suggest = len(choices) <= self.hint_budget
        if suggest:
            self.hint_budget -= len(choices)
        return choices_hint(word, choices, label, suggest=suggest)

    def report_line_break(self, path: DataPath, message: str) -> None:
        """Report a line break in a one-line field at the break, when it is known."""
        at = None if self.positions is None else self.positions.breaks.get(path)
        if at is None:
            self.report(path, message)
        else:
            self.problems.append(Problem(self.file, at[0], at[1], message))

    def raw(self, path: DataPath) -> str | None:
        return None if self.positions is None else self.positions.raw.get(path)

    def add(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)


class Fields:
    """One mapping of a runbook, read key by key."""

    def __init__(
        self,
        rep: Reporter,
        path: DataPath,
        data: Mapping[object, object],
        keys: Sequence[str],
        what: str,
    ) -> None:
        self.rep = rep
        self.path = path
        self.what = what
        self.data: dict[str, object] = {}
        self.suggested: set[str] = set()
        for key, value in data.items():
            if not isinstance(key, str):
                rep.report(path, f"keys in {what} must be strings, not {key!r}")
                continue
            self.data[key] = value
        for key in self.data:
            if key in keys:
                continue
            match = closest(key, [k for k in keys if k not in self.data])
            if match is not None:
                self.suggested.add(match)
                hint = f" (did you mean '{match}'?)"
            else:  # nothing close: what this place takes (a bare refusal left one guessing)
                hint = f" ({what} takes: {', '.join(keys)}; see `lastgood validate --explain`)"
            rep.report((*path, key), f"unknown key '{key}'{hint}", key=True)

    def at(self, key: str) -> DataPath:
        return (*self.path, key)

    def get(self, key: str) -> object:
        return self.data.get(key)

    def given(self, key: str) -> bool:
        """Whether the key has a value (one already reported as invalid counts)."""
        return self.data.get(key) is not None

    def report(self, key: str, message: str) -> None:
        self.rep.report(self.at(key), message)

    def missing(self, key: str) -> None:
        if key in self.data:  # written, but null
            self.rep.report(self.at(key), f"'{key}' must not be empty")
        elif key not in self.suggested:
            self.rep.report(self.path, f"missing required key '{key}' in {self.what}")

    def _value(self, key: str, required: bool) -> object:
        value = self.data.get(key)
        if value is None and required:
            self.missing(key)
        return None if value is INVALID else value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raw = self.rep.raw(self.at(key))
            if raw is None or isinstance(value, dict | list):
                self.report(key, f"'{key}' must be a string")
                return None
            value = raw
        if required and not value.strip():
            self.report(key, f"'{key}' must not be empty")
            return None
        if key in SINGLE_LINE_KEYS and "\n" in value:
            self.rep.report_line_break(self.at(key), f"'{key}' must be one line (no line break)")
            return None
        limit = TEXT_LIMITS.get(key)
        if limit is not None and len(value) > limit and not self.rep.recorded:
            self.report(key, too_long(f"'{key}'", len(value), limit))
            return None
        return value

    def ident(self, key: str, what: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        problem = id_problem(value, what)
        if problem:
            self.report(key, problem)
            return None
        return value

    def integer(
        self, key: str, *, minimum: int, maximum: int, message: str, required: bool = False
    ) -> int | None:
        value = self._value(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(key, message)
            return None
        if not minimum <= value <= maximum:
            self.report(key, f"{message} (got {value})")
            return None
        return value

    def number(
        self,
        key: str,
        *,
        message: str,
        positive: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        required: bool = False,
    ) -> float | None:
        value = self._value(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(key, message + _written(value))
            return None
        if not math.isfinite(value):
            self.report(key, f"{message} (got {value})")
            return None
        if (
            (positive and value <= 0)
            or (minimum is not None and value < minimum and not self.rep.recorded)
            or (maximum is not None and value > maximum)
        ):
            self.report(key, f"{message} (got {value})")
            return None
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._value(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(key, f"'{key}' must be true or false")
            return default
        return value

    def choice(self, key: str, enum: type[E], what: str, *, required: bool = False) -> E | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        return parse_choice(self.rep, self.at(key), value, enum, what)

    def mapping(self, key: str, *, required: bool = False) -> Mapping[object, object] | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.report(key, f"'{key}' must be a mapping")
            return None
        return value

    def items(self, key: str, *, required: bool = False) -> Sequence[object] | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not is_list(value):
            self.report(key, f"'{key}' must be a list")
            return None
        assert isinstance(value, list | tuple)
        return value

    def not_for(self, keys: Iterable[str], reason: str) -> None:
        """Report keys that mean nothing here, such as a template on a check step."""
        for key in keys:
            if self.given(key):
                self.rep.report(self.at(key), f"'{key}' {reason}", key=True)


def parse_choice(
    rep: Reporter, path: DataPath, value: str, enum: type[E], what: str, *, key: bool = False
) -> E | None:
    """`value` as a member of `enum`, or None after reporting the allowed values."""
    try:
        return enum(value)
    except ValueError:
        names = [member.value for member in enum]
        rep.report(path, f"invalid {what} '{value}'{choices_hint(value, names)}", key=key)
        return None


def _written(value: object) -> str:
    """What a number's place holds instead, for its refusal: `, not '5%' (as a ratio,
    5% is 0.05)`, `, not the text '500' (write it unquoted: 500)` (ux_review17 #8: the
    line echoed neither); "" for a mapping or list, whose place says enough."""
    if not isinstance(value, str):
        return ""
    shown = repr(value if len(value) <= 40 else value[:40] + "…")
    text = value.strip()
    try:
        if text.endswith("%"):
            ratio = float(text[:-1]) / 100
            return f", not {shown} (as a ratio, {text} is {ratio:g})"
        number = float(text)
    except ValueError:
        return f", not {shown}"
    return f", not the text {shown} (write it unquoted: {number:g})"
