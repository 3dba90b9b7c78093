"""An incident's folded state as plain JSON values, and back: what a stored snapshot holds.

A snapshot lets `replay --at` start from the state at event N instead of folding
every event before it. It is read from a file anyone may have written, so decoding
is explicit and strict: JSON values only (never pickle), each field checked against
the type its class declares, a wrong type or a missing or extra field refused with
`SnapshotError` (the reader then folds from the declaration, as without a snapshot).

The codec is derived from the record fields (`msgspec.structs.fields` and their type
hints) of `IncidentState` and the records it holds, so a field added there is encoded
without a change here; `LAYOUT` names the shapes it was derived from, and a snapshot
written under another layout is not read. Records are written as arrays, their
fields in declaration order. Two fields are not values: `runbook` is rebuilt from
the declaration (as the fold builds it), and each step record names its step by id.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

from msgspec import Meta, Struct, ValidationError, convert
from msgspec.structs import fields, replace

from incident.core.digest import sha256_hex
from incident.core.events import Event, JSONValue
from incident.core.records import StepRecord
from incident.core.state import IncidentState, new_state

Encode = Callable[[Any], JSONValue]
Decode = Callable[[Any], Any]

NOT_STORED = frozenset({"runbook"})
"""State fields a snapshot leaves out: rebuilt from the declaration event."""
_STEPS = "steps"


class SnapshotError(ValueError):
    """A stored snapshot that this code cannot read as a state (the caller says where)."""


def _fail(expected: str, value: object) -> SnapshotError:
    return SnapshotError(f"expected {expected}, found {type(value).__name__}")


def _checked(kind: type) -> Decode:
    name = kind.__name__

    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise _fail(name, value)
        return value

    return decode


def _number(value: Any) -> Any:
    if type(value) is not float and type(value) is not int:
        raise _fail("a number", value)
    return value


def _moment(value: Any) -> datetime:
    if type(value) is not str:
        raise _fail("a time", value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SnapshotError(f"unreadable time {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise SnapshotError(f"time without a zone {value[:40]!r}")
    return moment


def _day(value: Any) -> date:
    if type(value) is not str:
        raise _fail("a date", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SnapshotError(f"unreadable date {value[:40]!r}") from None


_CHECK_STR, _CHECK_INT, _CHECK_BOOL = _checked(str), _checked(int), _checked(bool)
_PLAIN: dict[Decode, type] = {_CHECK_STR: str, _CHECK_INT: int, _CHECK_BOOL: bool}
"""The decoders that only check a type, and the type each checks."""


def _same(value: Any) -> JSONValue:
    return value  # type: ignore[no-any-return]


def _iso(value: Any) -> JSONValue:
    return value.isoformat()  # type: ignore[no-any-return]


def _enum(kind: type[Enum]) -> tuple[Encode, Decode]:
    def decode(value: Any) -> Any:
        try:
            return kind(value)
        except (ValueError, TypeError):
            raise SnapshotError(f"{str(value)[:40]!r} is no {kind.__name__}") from None

    return (lambda value: value.value), decode


def _optional(inner: tuple[Encode, Decode]) -> tuple[Encode, Decode]:
    encode, decode = inner
    return (
        lambda value: None if value is None else encode(value),
        lambda value: None if value is None else decode(value),
    )


def _list_of(inner: tuple[Encode, Decode], make: type) -> tuple[Encode, Decode]:
    encode, decode = inner

    def decoded(value: Any) -> Any:
        if type(value) is not list:
            raise _fail("an array", value)
        return make(decode(item) for item in value)

    return (lambda value: [encode(item) for item in value]), decoded


def _pair(parts: tuple[tuple[Encode, Decode], ...]) -> tuple[Encode, Decode]:
    encoders = [encode for encode, _ in parts]
    decoders = [decode for _, decode in parts]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(decoders):
            raise _fail(f"an array of {len(decoders)}", value)
        return tuple(d(item) for d, item in zip(decoders, value, strict=True))

    return (lambda value: [e(item) for e, item in zip(encoders, value, strict=True)]), decode


def _dict_of(inner: tuple[Encode, Decode]) -> tuple[Encode, Decode]:
    encode, decode = inner

    def decoded(value: Any) -> Any:
        if type(value) is not dict:
            raise _fail("an object", value)
        return {key: decode(item) for key, item in value.items()}

    return (lambda value: {key: encode(item) for key, item in value.items()}), decoded


def _record(kind: type, skip: frozenset[str] = frozenset()) -> tuple[Encode, Decode]:
    """A frozen record as an array of its fields, in declaration order.

    Fields that JSON holds as they are (text, whole numbers, flags) are only checked;
    the others (times, nested records...) are decoded: a snapshot holds thousands of
    records, and this keeps each to a few checks.
    """
    names, codecs = _fields(kind, skip)
    encoders = [encode for encode, _ in codecs]
    count = len(names)
    plain = [(i, _PLAIN[decode]) for i, (_, decode) in enumerate(codecs) if decode in _PLAIN]
    converted = [(i, decode) for i, (_, decode) in enumerate(codecs) if decode not in _PLAIN]

    def encode(value: Any) -> JSONValue:
        return [e(getattr(value, name)) for e, name in zip(encoders, names, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != count:
            raise _fail(f"a {kind.__name__} of {count} fields", value)
        for i, expected in plain:
            if type(value[i]) is not expected:
                raise _fail(expected.__name__, value[i])
        if converted:
            value = list(value)
            for i, convert in converted:
                value[i] = convert(value[i])
        if skip:  # the fields left out are given later (None until then)
            return kind(**dict(zip(names, value, strict=True)), **dict.fromkeys(skip))
        return kind(*value)

    return encode, decode


def _unless_none(hint: Any) -> Any:
    """The type of `X | None` (X); `hint` itself when it is no union. Any other union has
    no codec."""
    if typing.get_origin(hint) not in (types.UnionType, typing.Union):
        return hint
    rest = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if len(rest) != 1 or len(typing.get_args(hint)) != 2:
        raise TypeError(f"no snapshot codec for {hint}")
    return rest[0]


_AS_CONVERTED: dict[Any, Any] = {
    str: str,
    int: int,
    bool: bool,
    date: date,
    datetime: Annotated[datetime, Meta(tz=True)],
}
"""Field types msgspec's `convert` checks as this codec does. Not `float`: it makes 1
into 1.0, where the codec keeps the number JSON held."""


def _row_type(kind: Any) -> Any:
    """For a record of plain fields only, the tuple type `convert` reads one as; else None."""
    if not (isinstance(kind, type) and issubclass(kind, Struct)):
        return None
    parts = []
    for _, field_type in _field_types(kind):
        hint = _unless_none(field_type)
        optional = hint is not field_type
        if hint in _AS_CONVERTED:
            part = _AS_CONVERTED[hint]
        elif isinstance(hint, type) and issubclass(hint, Enum):
            part = hint
        else:
            return None
        parts.append(part | None if optional else part)
    return tuple.__class_getitem__(tuple(parts))


def _records(kind: type, row: Any) -> tuple[Encode, Decode]:
    """A list of plain records, decoded by msgspec in one call: a long incident's state
    holds some ten thousand notes, which the per-field checks took three times as long
    over. Whatever `convert` refuses is decoded again the slow way, which says why."""
    encode, one_by_one = _list_of(_record(kind), list)
    rows = list.__class_getitem__(row)

    def decode(value: Any) -> Any:
        try:
            return [kind(*values) for values in convert(value, rows)]
        except ValidationError:
            return one_by_one(value)

    return encode, decode


@functools.cache
def _field_types(kind: type) -> tuple[tuple[str, Any], ...]:
    """Each field's name and type, in declaration order: msgspec resolves the hints on
    every call, some 20 ms for the state's records, so once per class and process."""
    return tuple((f.name, f.type) for f in fields(kind))


def _fields(kind: type, skip: frozenset[str]) -> tuple[list[str], list[tuple[Encode, Decode]]]:
    hinted = [(name, hint) for name, hint in _field_types(kind) if name not in skip]
    return [name for name, _ in hinted], [_codec(hint) for _, hint in hinted]


def _codec(hint: Any) -> tuple[Encode, Decode]:
    """The encoder and decoder of a value of type `hint` (a field's annotation)."""
    inner = _unless_none(hint)
    if inner is not hint:
        return _optional(_codec(inner))
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is list:
        row = _row_type(args[0])
        if row is not None:
            return _records(args[0], row)
        return _list_of(_codec(args[0]), list)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _list_of(_codec(args[0]), tuple)
        return _pair(tuple(_codec(arg) for arg in args))
    if origin is dict and args[0] is str:
        return _dict_of(_codec(args[1]))
    if hint is str:
        return _same, _CHECK_STR
    if hint is int:
        return _same, _CHECK_INT
    if hint is bool:
        return _same, _CHECK_BOOL
    if hint is float:
        return _same, _number
    if hint is datetime:
        return _iso, _moment
    if hint is date:
        return _iso, _day
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum(hint)
    if isinstance(hint, type) and issubclass(hint, Struct):
        return _record(hint)
    raise TypeError(f"no snapshot codec for {hint}")


@functools.cache
def _state_codecs() -> dict[str, tuple[Encode, Decode]]:
    """Per state field, its codec; built on first use (reading the type hints costs)."""
    codecs: dict[str, tuple[Encode, Decode]] = {}
    for name, hint in _field_types(IncidentState):
        if name in NOT_STORED:
            continue
        if name == _STEPS:
            codecs[name] = _dict_of(_record(StepRecord, frozenset({"step"})))
        else:
            codecs[name] = _codec(hint)
    return codecs


_NOT_VALUES = frozenset({(IncidentState, "runbook"), (StepRecord, "step")})
"""(class, field) pairs a snapshot names rather than holds."""


def _shape(hint: Any, seen: set[type]) -> str:
    """`hint` spelled out with the fields of every record in it, for `layout`."""
    if isinstance(hint, type) and issubclass(hint, Struct):
        if hint in seen:
            return hint.__name__
        seen.add(hint)
        inner = ",".join(
            f"{name}:{_shape(field_type, seen)}"
            for name, field_type in _field_types(hint)
            if (hint, name) not in _NOT_VALUES
        )
        return f"{hint.__name__}({inner})"
    args = typing.get_args(hint)
    if args:
        return f"{typing.get_origin(hint)}[{','.join(_shape(arg, seen) for arg in args)}]"
    return getattr(hint, "__name__", str(hint))


@functools.cache
def layout() -> str:
    """A fingerprint of the shapes the codec writes: snapshots of another layout are not read."""
    return sha256_hex(_shape(IncidentState, set()).encode())[:16]


def encode_fields(state: IncidentState, names: typing.Iterable[str]) -> dict[str, JSONValue]:
    """Those fields of `state` as JSON values."""
    codecs = _state_codecs()
    return {name: codecs[name][0](getattr(state, name)) for name in names}


def stored_fields() -> list[str]:
    """The state fields a snapshot holds, in declaration order."""
    return list(_state_codecs())


@functools.cache
def list_fields() -> tuple[str, ...]:
    """The stored fields that hold lists (which a snapshot may store as a change)."""
    hints = dict(_field_types(IncidentState))
    return tuple(name for name in _state_codecs() if typing.get_origin(hints[name]) is list)


def encode_items(name: str, items: list[Any]) -> list[JSONValue]:
    """Some items of the list field `name`, encoded as the whole field would be."""
    encoded = _state_codecs()[name][0](items)
    assert isinstance(encoded, list)
    return encoded


def encode_state(state: IncidentState) -> dict[str, JSONValue]:
    """Every stored field of `state` as JSON values (`decode_state` reads it back)."""
    return encode_fields(state, _state_codecs())


def decode_state(declaration: Event, data: Mapping[str, Any]) -> IncidentState:
    """The state `data` (from `encode_state`) describes, for the incident `declaration` opens.

    The declaration gives the runbook and the steps, as the fold takes them from it;
    anything in `data` that is not the stored fields with their declared types is a
    `SnapshotError`.
    """
    codecs = _state_codecs()
    if set(data) != set(codecs):
        missing = sorted(set(codecs) - set(data))
        extra = sorted(set(data) - set(codecs))
        raise SnapshotError(f"fields differ (missing {missing[:3]}, extra {extra[:3]})")
    state = new_state(declaration)
    for name, (_, decode) in codecs.items():
        if name == _STEPS:
            continue
        try:
            setattr(state, name, decode(data[name]))
        except SnapshotError as error:
            raise SnapshotError(f"field {name!r}: {error}") from None
        except TypeError as error:  # a record given the wrong arguments
            raise SnapshotError(f"field {name!r}: {error}") from None
    state.steps = _steps(state, codecs[_STEPS][1], data[_STEPS])
    return state


def _steps(state: IncidentState, decode: Decode, value: Any) -> dict[str, StepRecord]:
    """The step records, each given the runbook's step of that id (the same steps, in order)."""
    records = decode(value)
    if list(records) != list(state.steps):
        raise SnapshotError("field 'steps': not the steps the runbook applies")
    return {
        step_id: replace(record, step=state.steps[step_id].step)
        for step_id, record in records.items()
    }
