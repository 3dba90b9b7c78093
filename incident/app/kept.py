"""What a screen could not record, as it is kept on disk until it is recorded.

While the record is unreachable the coordinator's screen keeps a command step's run
(`UnrecordedRun`) and what a dialog submitted and the record refused (`KeptIntent`:
a note, a check with its note or evidence, a skip, an approval, the decision, the
database tier, a message, each with what was typed). Both are written at once to a
small file per incident (`store.spool`, in this module's JSON), so a screen killed
meanwhile loses neither: the next screen on that incident records them once the
record takes writes, each saying when it happened (`CommandRan.ran_at`, the
payloads' `written_at`), and never twice: a run or intent already in the record with
that time is not recorded again (a screen killed between recording and forgetting).

An intent is recorded through its verb's own use case, deciding on the record as it
is then (`record_kept`): what is no longer valid (a step someone else checked
meanwhile, a decision already made) is not recorded twice; what was typed becomes a
note saying so, with when it was written.

Everything in the file is data: shown through `visible`, recorded as typed, less the
secrets the incident knows of (as a run's output is).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime

import msgspec
from msgspec import Struct, field

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.app.unrecorded_run import UnrecordedRun
from incident.core.chain import ChainReport
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import Event, NewEvent, truncate_to_millis
from incident.core.payloads import (
    ApprovalGranted,
    CommunicationSent,
    DatabaseTierChosen,
    NoteAdded,
    StepChecked,
    StepSkipped,
)
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.core.text import counted, visible

VERSION = 2
"""The file's layout; another is told, and the file set aside, not guessed at. A
version 1 file (runs and notes, before the other dialogs were kept) reads as ever."""

KEPT_VERBS: Mapping[str, str] = {
    "note": "note",
    "check": "check",
    "skip": "skip",
    "approve": "approval",
    "decide": "decision",
    "db-tier": "database tier choice",
    "send": "message",
}
"""The verbs whose dialog keeps what the record refused, and what one of each is called."""

KeptValue = str | bool


class KeptRun(Struct, frozen=True):
    """A run the record refused, and who ran it."""

    actor: str
    run: UnrecordedRun


class KeptIntent(Struct, frozen=True):
    """What a dialog submitted and the record refused: its verb, the values as typed
    (less the incident's secrets), who, and when it was first submitted."""

    actor: str
    verb: str
    """One of `KEPT_VERBS`."""
    values: dict[str, KeptValue]
    written_at: datetime

    @property
    def noun(self) -> str:
        return KEPT_VERBS.get(self.verb, self.verb)

    def what(self) -> str:
        """`the check of roll-back`, `the decision`, `the message announce`."""
        values = self.values
        about = values.get("step") if self.verb in ("check", "skip") else None
        about = values.get("target") if self.verb == "approve" else about
        if self.verb == "db-tier":
            return f"the choice of database tier {visible(str(values.get('tier', '')))}"
        if self.verb == "send" and values.get("template"):
            about = values["template"]
        noun = "decision to roll back" if self.verb == "decide" else self.noun
        return f"the {noun} of {visible(str(about))}" if about else f"the {noun}"

    def typed(self) -> str:
        """What was typed, as a note keeps it: `Evidence: pods back. By: cy`."""
        said = [
            f"{name.capitalize()}: {value.strip()}"
            for name, value in self.values.items()
            if isinstance(value, str) and value.strip() and name not in _NAMED
        ]
        return " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in said)


_NAMED = frozenset({"step", "target", "template", "tier"})
"""Values `KeptIntent.what` names already."""


class Kept(Struct, frozen=True, forbid_unknown_fields=True):
    """One incident's file."""

    version: int
    incident: str
    declared_at: datetime
    """With the id, which incident: another record may hold one with the same id
    (`file_name` says both)."""
    runs: list[KeptRun] = field(default_factory=list)
    intents: list[KeptIntent] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.runs and not self.intents


class _NoteV1(Struct, frozen=True):
    actor: str
    text: str
    pinned: bool
    written_at: datetime


class _KeptV1(Struct, frozen=True, forbid_unknown_fields=True):
    version: int
    incident: str
    declared_at: datetime
    runs: list[KeptRun] = field(default_factory=list)
    notes: list[_NoteV1] = field(default_factory=list)


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
    kept = decode_any(data)
    if kept.incident != state.id or kept.declared_at != state.declared_at:
        raise DamagedKept(f"it is incident {visible(kept.incident)}'s of {kept.declared_at}")
    return kept


def decode_any(data: bytes) -> Kept:
    """The file's content, whichever incident's; DamagedKept if it does not read."""
    try:
        version = msgspec.json.decode(data, type=_Versioned).version
        if version == 1:
            old = msgspec.json.decode(data, type=_KeptV1)
            intents = [
                KeptIntent(n.actor, "note", {"text": n.text, "pin": n.pinned}, n.written_at)
                for n in old.notes
            ]
            kept = Kept(VERSION, old.incident, old.declared_at, old.runs, intents)
        elif version != VERSION:
            raise DamagedKept(f"version {version}, not {VERSION}")
        else:
            kept = msgspec.json.decode(data, type=Kept)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise DamagedKept(str(error)) from None
    moments = [kept.declared_at, *(k.run.ran_at for k in kept.runs)]
    if any(moment.tzinfo is None for moment in [*moments, *(i.written_at for i in kept.intents)]):
        raise DamagedKept("a time without its zone")
    unknown = [i.verb for i in kept.intents if i.verb not in KEPT_VERBS]
    if unknown:
        raise DamagedKept(f"no verb {visible(unknown[0])} is kept")
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


def with_intent(kept: Kept, intent: KeptIntent) -> Kept:
    intents = [i for i in kept.intents if i != intent]
    return msgspec.structs.replace(kept, intents=[*intents, intent])


def without_intent(kept: Kept, intent: KeptIntent) -> Kept:
    return msgspec.structs.replace(kept, intents=[i for i in kept.intents if i != intent])


def intent_of(
    actor: str,
    verb: str,
    values: Mapping[str, object],
    written_at: datetime,
    state: IncidentState,
    *,
    db: str | None,
    env: Mapping[str, str] | None = None,
) -> KeptIntent:
    """What a dialog submitted, as it is kept and will be recorded: its text and flags
    (nothing unset), without the secrets the incident knows of (as a run's output)."""
    from incident.app.command_output import output_secrets
    from incident.core.secrets import redact

    secrets = output_secrets(state.runbook, os.environ if env is None else env, db)
    kept: dict[str, KeptValue] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            kept[name] = value
        elif isinstance(value, str):
            kept[name] = redact(value, secrets)
    return KeptIntent(actor, verb, kept, written_at)


# --- recording ---------------------------------------------------------------------------


def record_kept(session: Session, intent: KeptIntent, *, as_note_if_refused: bool = True) -> Done:
    """Record `intent` through its verb's use case, as typed then (each event's
    `written_at`), unless the record holds it already. Refused as no longer valid (a
    step checked meanwhile, a decision already made): what was typed is recorded as a
    note saying so, unless `as_note_if_refused` is False (its dialog is open to say
    why), or it is a note itself (the refusal is raised)."""
    written_at = truncate_to_millis(intent.written_at)
    session.refresh()
    when = t_plus(session.state, written_at)
    what = intent.what()
    if recorded_already(session.state, intent):
        return Done([], f"{what} written at {when} was recorded already")
    try:
        done = _run(_Late(session, intent), intent)
    except CommandError as refused:
        if not as_note_if_refused or intent.verb == "note":
            raise
        return _as_note(session, intent, str(refused))
    if not done.events:
        return Done([], f"{what} written at {when} was recorded already")
    return Done(done.events, f"recorded {what} written at {when}", done.notes)


def _run(session: Session, intent: KeptIntent) -> Done:
    """The intent's use case, as its dialog calls it."""
    from incident.app.verbs import BY_NAME, run

    values: dict[str, object] = dict(intent.values)
    step = values.pop("step", None) if intent.verb == "db-tier" else None
    if isinstance(step, str):  # chosen from the database step, which it settles
        from incident.app.database_tiers import settle_database

        tier, reason = str(values["tier"]), str(values.get("reason", ""))
        return settle_database(session, intent.actor, step, tier, reason=reason)
    return run(BY_NAME[intent.verb], session, intent.actor, values)


def _as_note(session: Session, intent: KeptIntent, why: str) -> Done:
    """What was typed for `intent`, no longer valid (`why`), as a note written then."""
    written_at = truncate_to_millis(intent.written_at)
    clock = session.clock
    what = intent.what()
    text = f"{what[:1].upper()}{what[1:]}, not recorded: {why}. {intent.typed()}".strip()

    def noted(state: IncidentState) -> list[NewEvent]:
        if recorded_already(state, intent):
            return []
        note = commands.add_note(
            state, text, actor=intent.actor, clock=clock, written_at=written_at
        )
        return [note]

    events = session.run_many(noted)
    when = t_plus(session.state, written_at)
    if not events:
        return Done(events, f"{what} written at {when} was recorded already")
    return Done(events, f"{what} written at {when} is kept as a note: {why}")


class _Late:
    """`session`, each event it records saying when its intent was typed (`written_at`);
    its first append records nothing if the record holds the intent already."""

    def __init__(self, session: Session, intent: KeptIntent) -> None:
        self._session = session
        self._intent = intent
        self._written_at = truncate_to_millis(intent.written_at)
        self._first = True

    @property
    def state(self) -> IncidentState:
        return self._session.state

    @property
    def clock(self) -> Clock:
        return self._session.clock

    @property
    def damage(self) -> ChainReport | None:
        return self._session.damage

    def refresh(self) -> list[Event]:
        return self._session.refresh()

    def run(self, command: Callable[[IncidentState], NewEvent]) -> Event:
        return self._session.run(lambda state: self._stamp(command(state)))

    def run_many(self, command: Callable[[IncidentState], Sequence[NewEvent]]) -> list[Event]:
        first, self._first = self._first, False

        def stamped(state: IncidentState) -> list[NewEvent]:
            if first and recorded_already(state, self._intent):
                return []
            return [self._stamp(event) for event in command(state)]

        return self._session.run_many(stamped)

    def _stamp(self, event: NewEvent) -> NewEvent:
        data = event.data
        if not isinstance(data, _TYPED) or data.written_at is not None:
            return event
        if isinstance(data, CommunicationSent) and data.auto:
            return event  # sent by lastgood, when recorded
        stamped = msgspec.structs.replace(data, written_at=self._written_at)
        return msgspec.structs.replace(event, data=stamped)


_TYPED = (
    StepChecked,
    StepSkipped,
    ApprovalGranted,
    DatabaseTierChosen,
    NoteAdded,
    CommunicationSent,
)
"""What a person types and the record says when it was typed (`written_at`), if late."""


def recorded_already(state: IncidentState, intent: KeptIntent) -> bool:
    """Whether the record holds `intent`: something recorded late, written at its time
    (to the millisecond), by its author (or, a note made of it, in their name)."""
    return truncate_to_millis(intent.written_at) in set(_written_late(state))


def _written_late(state: IncidentState) -> Iterator[datetime]:
    """When each thing the state folds with its time as typed was written: a note,
    step, approval and tier choice take `written_at` as their time."""
    yield from (n.at for n in state.notes if n.recorded_at)
    yield from (r.at for r in state.steps.values() if r.at is not None)
    yield from (c.at for c in state.step_changes)
    yield from (a.at for a in state.approvals.values())
    if state.tier_choice is not None:
        yield state.tier_choice.at
    yield from (c.written_at for c in state.communications if c.written_at is not None)


# --- saying it ---------------------------------------------------------------------------


def what_is_kept(kept: Kept) -> str:
    """`1 note and 1 check`, `the run of roll-back and 2 notes`: how many of each."""
    nouns: dict[str, int] = {}
    for intent in kept.intents:
        nouns[intent.noun] = nouns.get(intent.noun, 0) + 1
    what = [counted(len(kept.runs), "command run")] if kept.runs else []
    what += [counted(n, noun) for noun, n in nouns.items()]
    return what[0] if len(what) == 1 else f"{', '.join(what[:-1])} and {what[-1]}"


def found_on_opening(kept: Kept, state: IncidentState) -> str:
    """The one line a screen says when it opens on what an earlier one kept."""
    what = [f"the run of {visible(k.run.step)} ({k.run.ran(state)})" for k in kept.runs]
    if kept.intents:
        what.append(what_is_kept(msgspec.structs.replace(kept, runs=[])))
    return (
        f"Kept by a screen that ended before the record took it: {', '.join(what)}. "
        "Recorded with when it happened once the record takes writes; nothing is run again."
    )
