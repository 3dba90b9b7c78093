"""A command step's runs in the record: the command it runs now (or why it cannot),
and what a run did, recorded: the run, what of its output is kept, and the step
checked on it (or on its verify command's answer).

Each face runs the command its own way (`incident.app.command_step`) and hands the
result here, so the CLI and the TUI record the same events and show the same output:
its tail, without the secrets the incident knows of. Nothing here runs a command or
loads asyncio: `declare` asks `unfilled_commands` and runs none.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.events import Event, Kind, NewEvent, truncate_to_millis
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible
from runbooks.model import StepKind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

    from incident.app.command_step import Verification
    from runbooks.model import CommandCheck

OUTPUT_TAIL_CHARS = commands.OUTPUT_TAIL_CHARS


def command_to_run(session: Session, step: str) -> str:
    """The shell command a command step runs; refused if the step cannot run now."""
    return commands.command_for(session.state, step)


def command_check(state: IncidentState, step: str) -> CommandCheck | None:
    """How the step reads back that its command took, if the runbook says: its verify
    command as it runs, placeholders filled in."""
    from incident.commands.command_text import filled_check

    record = state.steps.get(step)
    return None if record is None else filled_check(state, record.step)


def runs_command(state: IncidentState, step: str) -> bool:
    """Whether checking `step` runs a command: a command step's own, or the database
    step's once the tier chosen carries one (`as_run`). Its run is then confirmed,
    run and recorded alike, by `command_to_run` and `record_command_result`."""
    from incident.commands.command_text import as_run

    record = state.steps.get(step)
    return record is not None and bool(as_run(state, record.step).command)


def run_title(state: IncidentState, step: str) -> str:
    """What the run dialog names: the step's title, and the tier whose command the
    database step runs (`Execute database rollback, tier down-migrations`)."""
    title = state.steps[step].step.title
    choice = state.tier_choice
    if state.steps[step].step.kind is StepKind.DATABASE and choice is not None:
        return f"{title}, tier {choice.tier}"
    return title


def unfilled_commands(state: IncidentState) -> str | None:
    """What the declaration left out that the runbook's commands name, in one line
    (`incident.commands.command_text.missing_at_declaration`): said by `declare` and
    by the screen as it opens; such a command is refused when run."""
    from incident.commands.command_text import unfilled_at_declaration

    return unfilled_at_declaration(state)


SECRET_ROOM_CHARS = 4_096
"""More than any secret takes to write, percent-encoded or escaped: what is redacted
beyond the tail kept, so a secret across the cut is found whole."""


def output_tail(output: bytes | str) -> str:
    """What the record keeps of a command's merged stdout and stderr: its tail."""
    text = output.decode("utf-8", errors="replace") if isinstance(output, bytes) else output
    return text[-OUTPUT_TAIL_CHARS:]


def shown_output(
    state: IncidentState,
    output: bytes | str,
    *,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """What of a command's output is printed, shown and recorded (a failed command's
    toast quotes it too): its tail, without the secrets the incident knows of
    (`incident.app.command_output`)."""
    from incident.app.command_output import output_secrets
    from incident.core.secrets import redact

    secrets = output_secrets(state.runbook, os.environ if env is None else env, db)
    text = output.decode("utf-8", errors="replace") if isinstance(output, bytes) else output
    # Redacted before the cut, with room for any secret across it: cut first, a
    # secret's last characters were left at the start of the tail (a review).
    return output_tail(redact(text[-(OUTPUT_TAIL_CHARS + SECRET_ROOM_CHARS) :], secrets))


def record_command_result(
    session: Session,
    actor: str,
    step: str,
    *,
    command: str,
    exit_code: int,
    output: bytes | str,
    verification: Verification | None = None,
    db: str | None = None,
    env: Mapping[str, str] | None = None,
    ran_at: datetime | None = None,
) -> Done:
    """Record what a command step's command did; on exit 0, check the step with it.

    Each face runs the command its own way (the CLI waits, the TUI keeps drawing),
    both with stderr merged into stdout, and hands the result here. A step with a
    `verify` command is checked only once that command showed the rollback took;
    its answer is recorded too, and is the step's evidence. What either command
    printed is recorded as `shown_output` gives it: without the secrets of `env`
    (by default this process's) that the runbook reads, nor `db`'s password.

    `ran_at`: the command ran then and the record could not take it (the database
    unreachable); recorded now, each run saying when it ran (`CommandRan.ran_at`), and
    the step checked only if it is still open: another terminal may have checked it
    by hand meanwhile, as the screen said to, and the run is a fact all the same.
    """
    clock = session.clock
    ran_at = truncate_to_millis(ran_at) if ran_at is not None else None
    tail = shown_output(session.state, output, db=db, env=env)
    if verification is not None:
        verification = redacted_verification(session.state, verification, db=db, env=env)

    def recorded(state: IncidentState) -> list[NewEvent]:
        def ran(text: str, code: int, out: bytes | str) -> NewEvent:
            return commands.record_command(
                state,
                step,
                command=text,
                exit_code=code,
                output_tail=output_tail(out),
                actor=actor,
                clock=clock,
                ran_at=ran_at,
            )

        if ran_at is not None and recorded_already(state, step, command, ran_at):
            return []  # recorded before the screen that kept it could forget it
        events = [ran(command, exit_code, tail)]
        if exit_code != 0:
            return events
        if ran_at is not None and state.status_of(step) is not StepStatus.OPEN:
            return [*events, *_verified(ran, verification)]
        note = f"`{command}` exited 0"
        if verification is None:
            return [*events, commands.check_step(state, step, actor=actor, clock=clock, note=note)]
        events.append(ran(verification.check.command, verification.exit_code, verification.output))
        if not verification.passed:
            return events
        evidence = verification.evidence
        check = commands.check_step(
            state, step, actor=actor, clock=clock, note=note, evidence=evidence
        )
        return [*events, check]

    events = session.run_many(recorded)
    if ran_at is not None:
        return Done(events, _recorded_late(session.state, step, command, exit_code, ran_at, events))
    if exit_code != 0:
        return Done(events, f"`{visible(command)}` exited {exit_code}; step {step} left open")
    if verification is not None and not verification.passed:
        within = f"{verification.check.within_s:g} s"
        return Done(
            events,
            f"`{visible(command)}` exited 0 but did not verify within {within}: "
            f"{visible(verification.evidence)}; step {step} left open",
        )
    return Done(events, f"checked {step}")


def recorded_already(state: IncidentState, step: str, command: str, ran_at: datetime) -> bool:
    """Whether this run, recorded late, is in the record already: a screen that recorded
    it and was killed before it forgot it (`incident.app.kept`), or a commit that went
    unanswered and was made. A run is known by its step, command and when it ran."""
    ran_at = truncate_to_millis(ran_at)
    return any(
        run.step == step and run.command == command and run.at == ran_at and run.recorded_at
        for run in state.commands_run
    )


def _verified(
    ran: Callable[[str, int, bytes | str], NewEvent], verification: Verification | None
) -> list[NewEvent]:
    """The verify command's run, if there was one."""
    if verification is None:
        return []
    return [ran(verification.check.command, verification.exit_code, verification.output)]


def _recorded_late(
    state: IncidentState,
    step: str,
    command: str,
    exit_code: int,
    ran_at: datetime,
    events: list[Event],
) -> str:
    """What recording a run late did: when it ran, and whether the step was checked."""
    from incident.core.phase_clocks import t_plus

    ran = f"`{visible(command)}` (ran at {t_plus(state, ran_at)}, exit {exit_code})"
    if not events:
        return f"{ran} was recorded already; nothing recorded again"
    if any(event.kind == Kind.STEP_CHECKED for event in events):
        return f"recorded {ran}; checked {step}"
    status = state.status_of(step)
    left = "left open" if status is StepStatus.OPEN else f"already {status}"
    return f"recorded {ran}; step {step} {left}"


def redacted_verification(
    state: IncidentState,
    verification: Verification,
    *,
    db: str | None,
    env: Mapping[str, str] | None = None,
) -> Verification:
    """`verification` with its output and its reading (the step's evidence, which may
    quote the output) as `shown_output` gives them."""
    from msgspec.structs import replace

    return replace(
        verification,
        output=shown_output(state, verification.output, db=db, env=env).encode(),
        why=shown_output(state, verification.why, db=db, env=env),
    )
