"""What a verb's parameters hold, and how typed text becomes their values.

The parsers import what they need when they run: the CLI builds its parser from
these before anything else is loaded.

Shared by the faces: the CLI uses these as argparse types, the TUI to check a form
field, so "30" means 30 minutes and "2026-12-04" a date in both. A bad value raises
`ValueError` with a message in the domain's words.
"""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every
# string annotation (a quarter of `lastgood --help` went on it), and the CLI
# builds its parser from these classes before anything else.

import os
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo


class Kind(StrEnum):
    """What a parameter holds; the TUI picks a field for it, the CLI a converter."""

    TEXT = "text"
    """One line of text."""
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
    NAMES = "names"
    """A comma-separated list of names."""
    ZONE = "zone"
    """A time zone name, e.g. Europe/Paris."""


class Param(NamedTuple):
    """One parameter of a verb, named as the use case's keyword argument."""

    name: str
    help: str
    kind: Kind = Kind.TEXT
    required: bool = False
    positional: bool = False
    """On the command line: an argument in order, not an `--option`."""
    metavar: str = ""
    choices: tuple[str, ...] = ()
    short: str = ""
    """A one-letter CLI option (`-o`), besides `--name`."""
    cli_only: bool = False
    """Only the command line has it (`--preview`, `-o FILE`): the TUI does it another way."""
    default: object = None
    """The value when not given, where the use case's own default does not apply."""
    spelling: str = ""
    """The CLI option when it is not `--name` (`--for` for `duration`)."""

    @property
    def option(self) -> str:
        """The CLI spelling: `--last-good` for `last_good`."""
        return self.spelling or "--" + self.name.replace("_", "-")

    def parse(self, text: str) -> object:
        """The value of `text` for this parameter, or ValueError saying why not."""
        return PARSERS.get(self.kind, _text)(text)


def _text(text: str) -> str:
    return text


def parse_minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number of minutes") from None
    if value < 0:
        raise ValueError("minutes cannot be negative")
    return value


def parse_duration(text: str) -> int:
    value = parse_minutes(text)
    if value == 0:
        raise ValueError("it needs at least one minute")
    return value


def parse_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number of seconds") from None
    if not value > 0:
        raise ValueError("seconds must be more than zero")
    return value


def parse_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise ValueError("it must be at least 1")
    return value


def parse_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def parse_date(text: str) -> "date":
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def parse_moment(text: str) -> "datetime":
    from incident.core.events import parse_timestamp

    try:
        return parse_timestamp(text)
    except ValueError:
        raise ValueError(
            f"'{text}' is not an ISO 8601 time with a timezone (e.g. 2026-11-29T14:00:00Z)"
        ) from None


def parse_zone(text: str) -> "tzinfo":
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(text)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"unknown time zone '{text}'") from None


def machine_zone() -> "tzinfo | None":
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
    return [name.strip() for name in text.split(",") if name.strip()]


PARSERS: dict[Kind, Callable[[str], object]] = {
    Kind.MINUTES: parse_minutes,
    Kind.DURATION: parse_duration,
    Kind.SECONDS: parse_seconds,
    Kind.NUMBER: parse_number,
    Kind.COUNT: parse_count,
    Kind.DATE: parse_date,
    Kind.MOMENT: parse_moment,
    Kind.NAMES: parse_names,
    Kind.ZONE: parse_zone,
}
