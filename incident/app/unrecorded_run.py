"""A step's command that ran and whose result the record could not take yet.

The coordinator's screen ran it (`lastgood run` exits 3 instead, saying how to record
it by hand) while the record could not be written: PostgreSQL stopped, a SQLite file
locked, full or read-only. The command cannot be taken back, so until its result is
recorded the screen keeps it: the step says it ran, the guidance says it is not to be
run again, the run dialog warns before a second run (a second `kubectl rollout undo`
rolls forward to the bad release), and once the record can be written it is recorded,
saying when it ran (`command_runs.record_command_result`'s `ran_at`), without running it again.
"""

from __future__ import annotations

import shlex
from datetime import datetime

from msgspec import Struct

from incident.app.command_runs import record_command_result, redacted_verification, shown_output
from incident.app.command_step import Verification
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.core.text import visible


class UnrecordedRun(Struct, frozen=True):
    """A command step's run, as it would have been recorded when it ended."""

    step: str
    command: str
    exit_code: int
    output: bytes
    verification: Verification | None
    ran_at: datetime
    """When it ended (its verification too): when it would have been recorded."""

    @property
    def succeeded(self) -> bool:
        """Exited 0 and, if the step says how, verified: recording it checks the step."""
        return self.exit_code == 0 and (self.verification is None or self.verification.passed)

    def ran(self, state: IncidentState) -> str:
        """`ran at T+04:52, exit 0`."""
        return f"ran at {t_plus(state, self.ran_at)}, exit {self.exit_code}"

    def mark(self, state: IncidentState) -> str:
        """After the step's title in the checklist: `(ran at T+04:52, exit 0: not recorded)`."""
        return f"({self.ran(state)}: not recorded)"

    def hint(self, state: IncidentState) -> str:
        """What the guidance says to do: not run it again, and how it gets recorded."""
        when = t_plus(state, self.ran_at)
        ran = f"its command ran at {when} (exit {self.exit_code}) and is not recorded yet"
        later = "it is recorded by itself once the record can be written"
        if self.succeeded:
            return f"check it with evidence saying it ran. Do not run it again: {ran}; {later}"
        return f"run it again only if it must be, after a warning: {ran}; {later}"

    def lost_on_quit(self, state: IncidentState) -> str:
        """What quitting the screen loses, and how to record it by hand after."""
        said = f"{self.command} {self.ran(state)}"
        words = ["check", state.id, self.step, "--evidence", said] if self.succeeded else []
        by_hand = shlex.join(["lastgood", *(words or ["note", state.id, said])])
        return f"`{visible(self.command)}`, which {self.ran(state)} (by hand: {visible(by_hand)})"

    def kept_on_quit(self, state: IncidentState) -> str:
        """What quitting leaves kept on disk, and how else to record it."""
        lost = self.lost_on_quit(state)
        return f"{lost[:-1]}; or the next `lastgood start {visible(state.id)}`)"

    def note(self, state: IncidentState) -> str:
        """The evidence checking the step by hand opens with (the run is not in the
        record, so a bare tick of its command step is refused: `rollback_steps`)."""
        return f"`{self.command}` {self.ran(state)}; not recorded then (record unreachable)"

    def warning(self, state: IncidentState) -> str:
        """What the run dialog says before a second run."""
        return (
            f"This command already {self.ran(state)}, and is not recorded yet: running it "
            "again may undo what it did (a second rollout undo rolls forward). It is "
            "recorded by itself once the record can be written."
        )


def record_unrecorded(session: Session, actor: str, run: UnrecordedRun, *, db: str | None) -> Done:
    """Record `run` now, as it would have been then, saying when it ran."""
    return record_command_result(
        session,
        actor,
        run.step,
        command=run.command,
        exit_code=run.exit_code,
        output=run.output,
        verification=run.verification,
        db=db,
        ran_at=run.ran_at,
    )


def without_secrets(run: UnrecordedRun, state: IncidentState, *, db: str | None) -> UnrecordedRun:
    """`run` as it will be recorded: its output's tail and its verification without the
    secrets the incident knows of (`command_runs.shown_output`), for keeping it on disk."""
    from msgspec.structs import replace

    verification = run.verification
    if verification is not None:
        verification = redacted_verification(state, verification, db=db)
    output = shown_output(state, run.output, db=db).encode()
    return replace(run, output=output, verification=verification)


def ran_not_recorded(run: UnrecordedRun, state: IncidentState, why: str) -> str:
    """The toast for a run whose result the record refused: the words first, the
    record's error (a URL that fills a toast's width at 100x30) last."""
    return (
        f"The command ran at {t_plus(state, run.ran_at)} (exit {run.exit_code}) but is not "
        "recorded. Do not run it again: it is "
        f"recorded by itself once the record can be written (the step says so until "
        f"then). Why: {why}"
    )
