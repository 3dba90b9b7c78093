"""What a screen could not record, as it is kept on disk until it is recorded.

While the record is unreachable the coordinator's screen keeps a command step's run
(`UnrecordedRun`) and a note whose dialog was refused (`KeptNote`). Both are written
at once to a small file per incident (`store.spool`, in this module's JSON), so a
screen killed meanwhile loses neither: the next screen on that incident records them
once the record takes writes, each saying when it happened (`CommandRan.ran_at`,
`NoteAdded.written_at`), and never twice: a run or note already in the record with
that time is not recorded again (a screen killed between recording and forgetting).

Everything in the file is data: shown through `visible`, recorded as typed.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec import Struct, field

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.app.unrecorded_run import UnrecordedRun
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.core.text import counted, visible

VERSION = 1
"""The file's layout; another is told, and the file set aside, not guessed at."""


class KeptRun(Struct, frozen=True):
    """A run the record refused, and who ran it."""

    actor: str
    run: UnrecordedRun


class KeptNote(Struct, frozen=True):
    """A note the record refused: its text as typed, and when it was first submitted."""

    actor: str
    text: str
    pinned: bool
    written_at: datetime


class Kept(Struct, frozen=True, forbid_unknown_fields=True):
    """One incident's file."""

    version: int
    incident: str
    declared_at: datetime
    """With the id, which incident: another record may hold one with the same id
    (`file_name` says both)."""
    runs: list[KeptRun] = field(default_factory=list)
    notes: list[KeptNote] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.runs and not self.notes


class DamagedKept(ValueError):
    """The file does not read as what a screen kept: why, in one line."""


def nothing_kept(state: IncidentState) -> Kept:
    return Kept(VERSION, state.id, state.declared_at)


def file_name(state: IncidentState) -> str:
    """`INC-20261207-4A40-1765105200123`: the id, and when it was declared (ms)."""
    return f"{state.id}-{int(state.declared_at.timestamp() * 1000)}"


def encode(kept: Kept) -> bytes:
    return msgspec.json.encode(kept)


def decode(data: bytes, state: IncidentState) -> Kept:
    """The file's content for `state`'s incident; DamagedKept if it is not that."""
    try:
        version = msgspec.json.decode(data, type=_Versioned).version
        if version != VERSION:
            raise DamagedKept(f"version {version}, not {VERSION}")
        kept = msgspec.json.decode(data, type=Kept)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise DamagedKept(str(error)) from None
    moments = [kept.declared_at, *(k.run.ran_at for k in kept.runs)]
    if any(moment.tzinfo is None for moment in [*moments, *(n.written_at for n in kept.notes)]):
        raise DamagedKept("a time without its zone")
    if kept.incident != state.id or kept.declared_at != state.declared_at:
        raise DamagedKept(f"it is incident {visible(kept.incident)}'s of {kept.declared_at}")
    return kept


class _Versioned(Struct):
    version: int


def with_run(kept: Kept, actor: str, run: UnrecordedRun) -> Kept:
    """`kept` keeping `run` too (in place of an earlier run of its step)."""
    runs = [k for k in kept.runs if k.run.step != run.step]
    return msgspec.structs.replace(kept, runs=[*runs, KeptRun(actor, run)])


def without_run(kept: Kept, run: UnrecordedRun) -> Kept:
    runs = [k for k in kept.runs if not same_run(k.run, run)]
    return msgspec.structs.replace(kept, runs=runs)


def same_run(a: UnrecordedRun, b: UnrecordedRun) -> bool:
    return (a.step, a.command, a.ran_at) == (b.step, b.command, b.ran_at)


def with_note(kept: Kept, note: KeptNote, *, instead_of: KeptNote | None = None) -> Kept:
    notes = [n for n in kept.notes if n != note and n != instead_of]
    return msgspec.structs.replace(kept, notes=[*notes, note])


def without_note(kept: Kept, note: KeptNote) -> Kept:
    return msgspec.structs.replace(kept, notes=[n for n in kept.notes if n != note])


def record_kept_note(session: Session, note: KeptNote) -> Done:
    """Record `note` as written then, unless the record holds it already."""
    clock = session.clock
    written_at = truncate_to_millis(note.written_at)

    def recorded(state: IncidentState) -> list[NewEvent]:
        if note_recorded_already(state, note):
            return []
        return [
            commands.add_note(
                state,
                note.text,
                actor=note.actor,
                clock=clock,
                pinned=note.pinned,
                written_at=written_at,
            )
        ]

    events = session.run_many(recorded)
    when = t_plus(session.state, written_at)
    if not events:
        return Done(events, f"the note written at {when} was recorded already")
    return Done(events, f"recorded the note written at {when}")


def note_recorded_already(state: IncidentState, note: KeptNote) -> bool:
    """A note is known by its text, author and the time it was written."""
    written_at = truncate_to_millis(note.written_at)
    return any(
        n.text == note.text and n.by == note.actor and n.at == written_at and n.recorded_at
        for n in state.notes
    )


def found_on_opening(kept: Kept, state: IncidentState) -> str:
    """The one line a screen says when it opens on what an earlier one kept."""
    what = [f"the run of {visible(k.run.step)} ({k.run.ran(state)})" for k in kept.runs]
    if kept.notes:
        what.append(counted(len(kept.notes), "note"))
    return (
        f"Kept by a screen that ended before the record took it: {', '.join(what)}. "
        "Recorded with when it happened once the record takes writes; nothing is run again."
    )
