"""The coordinator's screen keeps on disk what the record could not take.

A run the record refused (`StepVerbs.unrecorded`) and what a dialog submitted and the
record refused (`HeldIntent`: a note, a check's note or evidence, a skip's reason, the
decision, an approval, a database tier, a message) are written at once to the
incident's spool (`store.spool`, `incident.app.kept`) and removed from it once
recorded: a screen killed meanwhile (SIGKILL, a closed terminal,
a dropped SSH session) leaves them there, and the next screen on the incident says
so in one line and records them, each with when it happened, once the record takes
writes. A file that does not read is set aside (renamed, never deleted) and named.

Writing is off the UI loop, on a thread of its own (the recorder's may be stuck on
the unreachable record), one change at a time in the order asked.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from incident.app.kept import (
    DamagedKept,
    Kept,
    KeptIntent,
    decode,
    encode,
    found_on_opening,
    intent_of,
    nothing_kept,
    with_intent,
    with_run,
    without_intent,
    without_run,
)
from incident.app.kept_recording import record_kept
from incident.core.errors import CommandError
from incident.core.state import IncidentState
from incident.core.text import visible
from store.errors import StoreError
from store.spool import SpoolFile
from tui.app.plain import UNTIL_REPLACED_S
from tui.app.screens.recorder import Outcome

if TYPE_CHECKING:
    from incident.app.outcome import Done
    from incident.app.unrecorded_run import UnrecordedRun
    from tui.app.modals.verb_form import Refusal
    from tui.app.screens.desk import After, Desk, Job

MAX_BACKOFF = 16
"""The most ticks (seconds) between tries at recording what an earlier screen kept."""


class KeptOnDisk:
    """One incident's spool, as its coordinator's screen changes it."""

    def __init__(self, desk: Desk, directory: Path, state: IncidentState) -> None:
        self.desk = desk
        self.spool = SpoolFile.of(directory, state.id, state.declared_at)
        self._state = state
        """The incident as opened: its id and declaration time name the file."""
        self._loop = asyncio.get_running_loop()
        """The UI loop (made on it, from the screen's `on_mount`)."""
        self._writer = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="lastgood-spool"
        )
        self.intents: list[KeptIntent] = []
        """What an earlier screen's dialogs kept (or a dialog of this one that is closed),
        until recorded here."""
        self._wait = 0
        self._backoff = 1

    def close(self) -> None:
        """Changes asked for are written before this returns."""
        self._writer.shutdown(wait=True)

    # --- changes -------------------------------------------------------------------------

    def keep_run(self, actor: str, run: UnrecordedRun) -> None:
        self._change(lambda kept: with_run(kept, actor, run))

    def forget_run(self, run: UnrecordedRun) -> None:
        self._change(lambda kept: without_run(kept, run))

    def keep_intent(self, intent: KeptIntent) -> None:
        self._change(lambda kept: with_intent(kept, intent))

    def forget_intent(self, intent: KeptIntent) -> None:
        self._change(lambda kept: without_intent(kept, intent))

    def keep_for_later(self, intent: KeptIntent) -> None:
        """Kept on disk, and recorded by this screen once the record takes writes: what
        a dialog that has closed submitted (the database tier's)."""
        self.keep_intent(intent)
        if intent not in self.intents:
            self.intents.append(intent)

    def _change(self, change: Callable[[Kept], Kept]) -> None:
        self._writer.submit(self._write, change)

    def _write(self, change: Callable[[Kept], Kept]) -> None:
        """On the writer's thread: the file read, changed, written whole (or removed)."""
        state = self._state

        def changed(data: bytes | None) -> bytes | None:
            kept = change(nothing_kept(state) if data is None else decode(data, state))
            return None if kept.empty else encode(kept)

        try:
            try:
                self.spool.update(changed)
            except DamagedKept as damaged:
                aside = self.spool.set_aside()
                self._say(self._damaged(damaged, aside), "error")
                self.spool.update(changed)
        except OSError as error:
            self._say(
                f"Could not keep it on disk ({visible(str(error))}): it is kept on this "
                "screen alone until the record takes it.",
                "error",
            )

    def _say(self, message: str, severity: SeverityLevel) -> None:
        """From the writer's thread: a toast."""
        desk = self.desk
        self._on_loop(
            lambda: desk.notify(message, title="Kept", severity=severity, timeout=UNTIL_REPLACED_S)
        )

    def _on_loop(self, call: Callable[[], object]) -> None:
        """`call` on the UI loop, without waiting for it: `close` waits for the writer
        on that loop, so waiting there (`call_from_thread`) would wait for ever."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody to tell
            self._loop.call_soon_threadsafe(call)

    def _damaged(self, damaged: DamagedKept, aside: Path) -> str:
        return (
            f"{visible(str(self.spool.path))} does not read as what a screen kept "
            f"({visible(str(damaged))}): set aside as {visible(str(aside))}, nothing in it "
            "recorded."
        )

    # --- opening ---------------------------------------------------------------------------

    def open(self, runs_found: Callable[[list[tuple[str, UnrecordedRun]]], None]) -> None:
        """Read what an earlier screen kept; its runs to `runs_found`, the rest here."""
        future = self._writer.submit(self._read)

        def read(done: concurrent.futures.Future[Kept | str | None]) -> None:
            self._on_loop(lambda: self._opened(done.result(), runs_found))

        future.add_done_callback(read)

    def _read(self) -> Kept | str | None:
        """What the file holds, or what to say of it."""
        try:
            if not self.spool.path.exists():  # the usual case: no directory made, nor lock
                return None
            with self.spool.locked():
                data = self.spool.read()
                if data is None:
                    return None
                try:
                    return decode(data, self._state)
                except DamagedKept as damaged:
                    return self._damaged(damaged, self.spool.set_aside())
        except OSError as error:
            return f"Cannot read {visible(str(self.spool.path))}: {visible(str(error))}"

    def _opened(
        self,
        found: Kept | str | None,
        runs_found: Callable[[list[tuple[str, UnrecordedRun]]], None],
    ) -> None:
        if found is None:
            return
        if isinstance(found, str):
            self.desk.notify(found, title="Kept", severity="error", timeout=UNTIL_REPLACED_S)
            return
        self.desk.notify(found_on_opening(found, self.desk.state), title="Kept", timeout=10)
        self.intents += [i for i in found.intents if i not in self.intents]
        runs_found([(k.actor, k.run) for k in found.runs])

    # --- recording what was kept -----------------------------------------------------------

    def record_soon(self) -> None:
        self._wait = 0

    def retry(self) -> None:
        """Once a second: try to record what was kept, less often while the record refuses."""
        recorder = self.desk.recorder
        if not self.intents or recorder.busy("late-intent"):
            return
        self._wait -= 1
        if self._wait > 0:
            return
        intent = self.intents[0]
        recorder.submit(
            lambda s: record_kept(s, intent),
            lambda outcome: self._recorded(intent, outcome),
            kind="late-intent",
        )

    def _recorded(self, intent: KeptIntent, outcome: Outcome[Done]) -> None:
        if isinstance(outcome.error, StoreError):
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
            self._wait = self._backoff
            return
        if intent in self.intents:
            self.intents.remove(intent)
        self._wait = self._backoff = 1
        if isinstance(outcome.error, CommandError):  # refused for good: kept on disk
            self.desk.notify(
                f"A kept {intent.noun} cannot be recorded: {outcome.error}. It stays in "
                f"{visible(str(self.spool.path))}.",
                title="Not recorded",
                severity="error",
                timeout=UNTIL_REPLACED_S,
            )
            return
        self.forget_intent(intent)
        said = outcome.unwrap().said
        self.desk.notify(said[:1].upper() + said[1:] + ".", title="Recorded late", timeout=10)


class HeldIntent:
    """What one dialog submitted and the record refused, kept on disk while it is open.

    Submitted again as it was refused, it is the intent kept: recorded with when it was
    first submitted (the payloads' `written_at`), so a screen killed between recording
    it and forgetting it does not record it twice. Changed, it is a new one. The dialog
    closed without recording it (Esc), it is forgotten; the screen killed, the next one
    records it (`KeptOnDisk.intents`)."""

    def __init__(self, desk: Desk, verb: str) -> None:
        self.desk = desk
        self.verb = verb
        self.intent: KeptIntent | None = None

    async def attempt(
        self, values: Mapping[str, object], job: Job, *, after: After | None = None
    ) -> Refusal | None:
        """Record through `job` (`Desk.attempt`), keeping `values` on disk if the record
        cannot be written."""
        desk, kept = self.desk, self.desk.kept
        try:  # refused before anything is kept or recorded: typed text holding a secret
            intent = intent_of(desk.actor, self.verb, values, desk.now(), desk.state, db=desk.db)
        except CommandError as secret:
            from tui.app.modals.verb_form import Refusal
            from tui.app.screens.verb_keys import in_tui_words

            return Refusal(in_tui_words(secret), about=secret.about)
        if kept is None:  # the composer's job calls `messages.send`, which does not check
            return await desk.attempt(job, after=after)
        held = self.intent
        if held is not None and held.values == intent.values:
            intent = held
            job = lambda s: record_kept(s, held, as_note_if_refused=False)  # noqa: E731
        elif held is not None:
            kept.forget_intent(held)
            self.intent = None

        def unreachable() -> None:
            if self.intent is None:
                self.intent = intent
                kept.keep_intent(intent)

        refusal = await desk.attempt(job, after=after, unreachable=unreachable)
        if refusal is None and self.intent is not None:
            kept.forget_intent(self.intent)
            self.intent = None
        return refusal

    def closed(self, _: object = None) -> None:
        """The dialog closed (a `push_screen` callback): what it kept and did not record
        is not to be recorded."""
        if self.intent is not None and self.desk.kept is not None:
            self.desk.kept.forget_intent(self.intent)
        self.intent = None
