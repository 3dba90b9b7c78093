"""Reading a stored payload strictly: every field checked, one error, one line.

A payload comes back from the record as whatever JSON is there: written by this
release, by an earlier one, or edited by hand. `Fields` reads it once, at the
store boundary, so that nothing after the store ever meets a missing key or a
number where text belongs; a field it does not know is refused too, so that
what decodes re-encodes to the same stored shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Final, NoReturn, TypeVar

from incident.core.events import JSONValue, Kind, OutOfRange, parse_timestamp


class PayloadError(ValueError):
    """A payload that is not what its kind records; the message names the field."""


class _Missing:
    """The default of a field that must be present."""


REQUIRED: Final = _Missing()
_ABSENT: Final[object] = object()
T = TypeVar("T")


class Fields:
    """One stored payload being decoded; call `done()` after reading every field.

    Every stored event is read through here, so it is kept lean: a lookup per
    field, and the names read kept only to say which one is unknown.
    """

    __slots__ = ("_data", "_read", "_where", "kind")

    def __init__(self, kind: Kind, data: Mapping[str, JSONValue], where: str = "") -> None:
        """`where` places a nested object in its payload (`samples[2].`), for messages."""
        self.kind = kind
        self._data = data
        self._where = where
        self._read: list[str] = []

    def fail(self, name: str, problem: str) -> NoReturn:
        raise PayloadError(f"{self.kind} field '{self._where}{name}' {problem}")

    def _get(self, name: str, default: object) -> object:
        value = self._data.get(name, _ABSENT)
        if value is _ABSENT:
            if isinstance(default, _Missing):
                self.fail(name, "is missing")
            return default
        self._read.append(name)
        return value

    def _wrong(self, name: str, value: object, expected: str) -> NoReturn:
        found = "null" if value is None else type(value).__name__
        self.fail(name, f"is {found}, not {expected}")

    def _otherwise(self, name: str, value: object, default: T | _Missing, expected: str) -> T:
        """The default for an absent field; a present one is of the wrong type."""
        if value is not _ABSENT:
            self._wrong(name, value, expected)
        if isinstance(default, _Missing):
            self.fail(name, "is missing")
        return default

    def text(self, name: str, default: str | _Missing = REQUIRED) -> str:
        value = self._data.get(name, _ABSENT)
        if type(value) is str:  # exact types first: every stored event is read here
            self._read.append(name)
            return value
        return self._otherwise(name, value, default, "text")

    def text_or_none(self, name: str) -> str | None:
        """Text or null; the key itself must be there (writers always put it)."""
        value = self._get(name, REQUIRED)
        if value is not None and not isinstance(value, str):
            self._wrong(name, value, "text or null")
        return value

    def flag(self, name: str, default: bool | _Missing = REQUIRED) -> bool:
        value = self._data.get(name, _ABSENT)
        if type(value) is bool:
            self._read.append(name)
            return value
        return self._otherwise(name, value, default, "true or false")

    def integer(self, name: str) -> int:
        value = self._data.get(name, _ABSENT)
        if type(value) is int:
            self._read.append(name)
            return value
        return self._otherwise(name, value, REQUIRED, "an integer")

    def integer_or_none(self, name: str) -> int | None:
        value = self._get(name, REQUIRED)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            self._wrong(name, value, "an integer or null")
        return value

    def number(self, name: str) -> float:
        """A JSON number, kept as it was written (an int stays an int)."""
        value = self._data.get(name, _ABSENT)
        if type(value) is float or type(value) is int:
            self._read.append(name)
            return value
        return self._otherwise(name, value, REQUIRED, "a number")

    def number_if_given(self, name: str) -> float | None:
        """A number, or None when the field is left out (it is never written as null)."""
        value = self._data.get(name, _ABSENT)
        if type(value) is float or type(value) is int:
            self._read.append(name)
            return value
        return self._otherwise(name, value, None, "a number")

    def integer_if_given(self, name: str) -> int | None:
        value = self._data.get(name, _ABSENT)
        if type(value) is int:
            self._read.append(name)
            return value
        return self._otherwise(name, value, None, "an integer")

    def text_if_given(self, name: str) -> str | None:
        value = self._data.get(name, _ABSENT)
        if type(value) is str:
            self._read.append(name)
            return value
        return self._otherwise(name, value, None, "text")

    def moment(self, name: str) -> datetime:
        return self.timestamp(name, self.text(name))

    def moment_or_none(self, name: str, *, optional: bool = False) -> datetime | None:
        """A timestamp or null; with `optional`, an absent key reads as None too."""
        if optional and name not in self._data:
            return None
        text = self.text_or_none(name)
        return None if text is None else self.timestamp(name, text)

    def day_or_none(self, name: str) -> date | None:
        text = self.text_or_none(name)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(name, f"is not a date: {text!r}")

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._get(name, REQUIRED)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self._wrong(name, value, "a list of text")
        return tuple(item for item in value if isinstance(item, str))

    def objects(self, name: str) -> list[Mapping[str, JSONValue]]:
        value = self._get(name, REQUIRED)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._wrong(name, value, "a list of objects")
        return [item for item in value if isinstance(item, dict)]

    def obj(self, name: str) -> dict[str, JSONValue]:
        value = self._get(name, REQUIRED)
        if not isinstance(value, dict):
            self._wrong(name, value, "an object")
        return value

    def timestamp(self, name: str, text: str) -> datetime:
        """`text`, read from the field `name`, as a timestamp."""
        try:
            return parse_timestamp(text)
        except OutOfRange as error:
            self.fail(name, f"is a {error}")
        except ValueError:
            self.fail(name, f"is not a timestamp: {text!r}")

    def done(self) -> None:
        """Refuse a field this kind does not record: it would not survive re-encoding."""
        if len(self._read) != len(self._data):
            unknown = sorted(set(self._data) - set(self._read))
            raise PayloadError(f"{self.kind} has an unknown field '{self._where}{unknown[0]}'")
