"""What a verb's parameters hold, and how typed text becomes their values.

The parsers import what they need when they run: the CLI builds its parser from
these before anything else is loaded.

Shared by the faces: the CLI uses these as argparse types, the TUI to check a form
field, so "30" means 30 minutes and "2026-12-04" a date in both. A bad value raises
`ValueError` with a message in the domain's words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum

TYPE_CHECKING = False
"""`typing` is not imported on the way to parsing arguments: it costs `lastgood --help`
a sixth of what starting Python does (mypy reads any `TYPE_CHECKING` as true)."""

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo
    from typing import Final

    from incident.core.timefmt import ReadTime


class Kind(StrEnum):
    """What a parameter holds; the TUI picks a field for it, the CLI a converter."""

    TEXT = "text"
    """Text, usually one line (a reason); a line break in it is kept."""
    LINE = "line"
    """One line, by its nature (a title, a channel, a version): a line break is refused."""
    LONG_TEXT = "long text"
    """Text that may run over several lines (a note, a root cause)."""
    NAME = "name"
    """A person or a team."""
    STEP = "step"
    """A step of the runbook; in the TUI, the highlighted one."""
    CHOICE = "choice"
    """One of `choices`."""
    FLAG = "flag"
    """On or off."""
    NUMBER = "number"
    COUNT = "count"
    """A whole number, one or more."""
    MINUTES = "minutes"
    DURATION = "duration"
    """A number of minutes, one or more (a meeting's length)."""
    SECONDS = "seconds"
    DATE = "date"
    MOMENT = "moment"
    """A time with a timezone (ISO 8601)."""
    LOCAL_MOMENT = "local-moment"
    """A time (ISO 8601, `T` or a space before the time); one without a zone is read in
    the zone the report is written in, this machine's (`incident.core.timefmt.read_time`)."""
    NAMES = "names"
    """A comma-separated list of names."""
    ZONE = "zone"
    """A time zone name, e.g. Europe/Paris."""


class Param:
    """One parameter of a verb, named as the use case's keyword argument.

    A plain class, not a `NamedTuple`: that needs `typing`, which the CLI does not
    load before its arguments are parsed. Compared and hashed by value all the same.
    """

    __slots__ = (
        "choices",
        "cli_only",
        "default",
        "help",
        "kind",
        "metavar",
        "name",
        "positional",
        "required",
        "short",
        "spelling",
    )

    name: Final[str]
    help: Final[str]
    kind: Final[Kind]
    required: Final[bool]
    positional: Final[bool]
    """On the command line: an argument in order, not an `--option`."""
    metavar: Final[str]
    choices: Final[tuple[str, ...]]
    short: Final[str]
    """A one-letter CLI option (`-o`), besides `--name`."""
    cli_only: Final[bool]
    """Only the command line has it (`--preview`, `-o FILE`): the TUI does it another way."""
    default: Final[object]
    """The value when not given, where the use case's own default does not apply."""
    spelling: Final[str]
    """The CLI option when it is not `--name` (`--for` for `duration`)."""

    def __init__(
        self,
        name: str,
        help: str,
        kind: Kind = Kind.TEXT,
        required: bool = False,
        positional: bool = False,
        metavar: str = "",
        choices: tuple[str, ...] = (),
        short: str = "",
        cli_only: bool = False,
        default: object = None,
        spelling: str = "",
    ) -> None:
        self.name = name
        self.help = help
        self.kind = kind
        self.required = required
        self.positional = positional
        self.metavar = metavar
        self.choices = choices
        self.short = short
        self.cli_only = cli_only
        self.default = default
        self.spelling = spelling

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Param) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"Param({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"

    def but(self, *, help: str, required: bool) -> Param:
        """This parameter with other help and requiredness (a face asking for it anew)."""
        return Param(
            self.name,
            help,
            self.kind,
            required,
            self.positional,
            self.metavar,
            self.choices,
            self.short,
            self.cli_only,
            self.default,
            self.spelling,
        )

    @property
    def option(self) -> str:
        """The CLI spelling: `--last-good` for `last_good`."""
        return self.spelling or "--" + self.name.replace("_", "-")

    def parse(self, text: str, now: Callable[[], datetime]) -> object:
        """The value of `text` for this parameter, or ValueError saying why not.

        A time that does not read is refused with an example from `now`, the face's
        clock (`incident.app.examples`): the app's, so a replay or a test clock shows
        examples of its own time, not this machine's. It is asked only then: the CLI
        parses its arguments before loading a clock."""
        try:
            return PARSERS.get(self.kind, _text)(text)
        except ValueError as error:
            if self.kind not in (Kind.MOMENT, Kind.LOCAL_MOMENT):
                raise
            from incident.app.examples import moment_example

            raise ValueError(f"{error} (e.g. {moment_example(self.name, now())})") from None


def _text(text: str) -> str:
    """Text as typed, without the spaces and blank lines around it: the TUI's fields
    dropped them and the CLI kept them, so one note read two ways (a parity review)."""
    return text.strip()


def parse_line(text: str) -> str:
    """One line of text, without the spaces around it; a line break inside is refused
    (`incident.core.text.line_break_in`): a title is one line, and a message built from
    it breaks where it does."""
    from incident.core.text import line_break_in

    if problem := line_break_in(text):
        raise ValueError(problem)
    return _text(text)


def parse_name(text: str) -> str:
    """A person's name on one line, its runs of spaces one: `approve --by "Bo  Smith"`
    recorded "Bo Smith" and `decide --by` the same name as typed, so one person was
    two in the record. A control character in it is refused before the spaces are
    collapsed, so a newline or a carriage return is not taken for a space
    (`incident.core.names.control_in_name`)."""
    _refuse_control(text)
    return " ".join(text.split())


def _refuse_control(name: str) -> None:
    if name.isascii() and name.isprintable():  # the usual case, checked in C: no control
        return  # (beyond ASCII, a printable Hangul filler is refused too)
    from incident.core.names import control_in_name

    if problem := control_in_name(name):
        raise ValueError(problem)


def parse_minutes(text: str) -> int:
    try:
        value = int(_written_plainly(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number of minutes") from None
    if value < 0:
        raise ValueError("minutes cannot be negative")
    from incident.core.events import LONGEST_SPAN_MIN

    if value > LONGEST_SPAN_MIN:
        raise ValueError(f"{value} minutes is more than a year ({LONGEST_SPAN_MIN:,})")
    return value


def parse_duration(text: str) -> int:
    value = parse_minutes(text)
    if value == 0:
        raise ValueError("it needs at least one minute")
    return value


def parse_seconds(text: str) -> float:
    from math import isfinite

    from incident.core.events import LONGEST_SPAN_MIN

    try:
        value = float(_written_plainly(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a number of seconds") from None
    if not value > 0:
        raise ValueError("seconds must be more than zero")
    if not isfinite(value) or value > LONGEST_SPAN_MIN * 60:
        raise ValueError(f"'{text}' seconds is more than a year")
    return value


def _written_plainly(text: str) -> str:
    """`text`, or ValueError if it uses Python's digit separators: `int` and `float`
    read `1_0` as ten, which no one typing a number means."""
    if "_" in text:
        raise ValueError(text)
    return text


def parse_count(text: str) -> int:
    try:
        value = int(_written_plainly(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise ValueError("it must be at least 1")
    return value


def parse_number(text: str) -> float:
    """A finite number: `nan` and `inf` are floats to Python, but no reading, baseline
    or gap, and JSON has no way to write them."""
    from math import isfinite

    try:
        value = float(_written_plainly(text))
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None
    if not isfinite(value):
        raise ValueError(f"'{text}' is not a finite number")
    return value


def parse_date(text: str) -> date:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def parse_moment(text: str) -> datetime:
    from incident.core.events import YEARS, OutOfRange, parse_timestamp

    try:
        return parse_timestamp(text)
    except OutOfRange:
        raise ValueError(
            f"'{text}' is out of range: in UTC it is before year {YEARS[0]} or after {YEARS[-1]}"
        ) from None
    except ValueError:
        raise ValueError(f"'{text}' is not an ISO 8601 time with a timezone") from None


def parse_local_moment(text: str) -> ReadTime:
    """A time as people type it (`2026-12-08 14:00`), one without a zone read in this
    machine's, the zone the report is written in unless told (`machine_zone`)."""
    from datetime import UTC

    from incident.core.events import YEARS, OutOfRange
    from incident.core.timefmt import read_time, zone_name

    zone = machine_zone() or UTC
    try:
        return read_time(text, zone)
    except OutOfRange:
        raise ValueError(
            f"'{text}' is out of range: in UTC it is before year {YEARS[0]} or after {YEARS[-1]}"
        ) from None
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date and time (ISO 8601; without a zone, read in {zone_name(zone)})"
        ) from None


def parse_zone(text: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(text)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"unknown time zone '{text}'") from None


def machine_zone() -> tzinfo | None:
    """A ZONE parameter's default, the same in every face: this machine's zone ($TZ,
    /etc/localtime, or else the current UTC offset)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "").lstrip(":")
    candidates = [name] if name else []
    target = os.path.realpath("/etc/localtime")
    if "/zoneinfo/" in target:
        candidates.append(target.split("/zoneinfo/", 1)[1])
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ValueError, KeyError, OSError):
            continue
    return datetime.now().astimezone().tzinfo


def parse_names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        _refuse_control(name)
    return names


PARSERS: dict[Kind, Callable[[str], object]] = {
    Kind.MINUTES: parse_minutes,
    Kind.DURATION: parse_duration,
    Kind.SECONDS: parse_seconds,
    Kind.NUMBER: parse_number,
    Kind.COUNT: parse_count,
    Kind.DATE: parse_date,
    Kind.MOMENT: parse_moment,
    Kind.LOCAL_MOMENT: parse_local_moment,
    Kind.NAME: parse_name,
    Kind.LINE: parse_line,
    Kind.NAMES: parse_names,
    Kind.ZONE: parse_zone,
}
