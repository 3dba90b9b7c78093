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
is then (`incident.app.kept_recording`): what is no longer valid (a step someone else checked
meanwhile, a decision already made) is not recorded twice; what was typed becomes a
note saying so, with when it was written.

Everything in the file is data: shown through `visible`, recorded as typed; typed
text holding a secret the incident knows of is refused before it is kept
(`incident.app.typed_secrets`), never kept changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import msgspec
from msgspec import Struct, field

from incident.app.unrecorded_run import UnrecordedRun
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
    (the file's name says both: `store.spool.SpoolFile.of`)."""
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
    """What a dialog submitted, as it is kept and will be recorded: its text as typed
    and its flags (nothing unset). Text holding a secret the incident knows of is
    refused here, CommandError, before anything is kept (`incident.app.typed_secrets`)."""
    from incident.app.typed_secrets import refuse_typed_secrets
    from incident.app.verbs import BY_NAME

    refuse_typed_secrets(state.runbook, BY_NAME[verb], values, db=db, env=env)
    kept: dict[str, KeptValue] = {}
    for name, value in values.items():
        if isinstance(value, bool | str):
            kept[name] = value
    return KeptIntent(actor, verb, kept, written_at)


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
