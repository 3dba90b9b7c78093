"""The CLI's messaging verbs (`send`, `decline`, `deliver`) and what follows any recording.

After a verb records something, the moment a runbook rule waits for may have come
(`lastgood check ID decide-rollback`): `follow_up` sends what is due by itself, hands
recorded messages to the outbox and makes one bounded delivery attempt, so a team
working from the CLI gets its webhooks too. Retries are `lastgood deliver`'s job, or
an open TUI's, or `monitor`'s. What it says goes to stderr: stdout is the verb's own
answer, which scripts read (`id=$(lastgood declare ...)` must get the id alone).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TextIO

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.commands.messages import decline, send_due
from incident.comms.due import due_messages
from incident.core.payloads import StepChecked
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.text import visible
from store.errors import StoreError
from tui.cli.verbs import CliError, actor_name, db_path, open_log, open_session

if TYPE_CHECKING:
    from tui.cli.courier import Courier


def follow_up(args: argparse.Namespace, session: IncidentSession) -> None:
    """Auto-sends and one delivery round after a recording verb; quiet when there is none."""
    runbook = session.state.runbook
    if not runbook.notify_targets and not runbook.timed_rules():
        return  # nothing to send: not even the HTTP client is loaded

    async def go(courier: Courier) -> None:
        courier.catch_up()
        await courier.deliver_round()
        for line in courier.awaiting_lines(session.state.id):
            print(line, file=sys.stderr)
        if pending := courier.pending():
            print(
                f"{pending} message(s) not delivered yet; `lastgood deliver {session.state.id}` "
                "retries them (so does an open lastgood TUI or `lastgood monitor`)",
                file=sys.stderr,
            )

    _with_courier(args, session, go, out=sys.stderr)


def cmd_send(args: argparse.Namespace) -> int:
    """Record a message; a template that a rule made due also completes its moment.

    `--preview` prints the rendered template and records nothing.
    """
    if args.preview:
        return _preview(args)
    actor = actor_name()
    with open_log(args) as log:
        session = open_session(log, args.id)
        clock = session.clock
        due = {m.template for m in due_messages(session.state, clock.now())}
        try:
            if args.template is not None and args.template in due:
                recorded = session.run_many(
                    lambda s: send_due(s, args.template, actor=actor, clock=clock, text=args.text)
                )
            else:
                recorded = [
                    session.run(
                        lambda s: commands.send_communication(
                            s,
                            actor=actor,
                            clock=clock,
                            template=args.template,
                            text=args.text,
                            channel=args.channel,
                        )
                    )
                ]
        except CommandError as error:
            raise CliError(str(error)) from None
        print(f"{_offset(session)}  message recorded as sent")
        for event in recorded:
            if isinstance(event.data, StepChecked):
                print(f"{_offset(session)}  checked {event.data.step}: the message was due")
        follow_up(args, session)
    return 0


def cmd_decline(args: argparse.Namespace) -> int:
    """Say no to a message a rule made due; the reason goes in the record."""
    actor = actor_name()
    with open_log(args) as log:
        session = open_session(log, args.id)
        clock = session.clock
        try:
            session.run(lambda s: decline(s, args.template, args.reason, actor=actor, clock=clock))
        except CommandError as error:
            raise CliError(str(error)) from None
        print(f"{_offset(session)}  not sending the {args.template} message: {args.reason}")
    return 0


def cmd_deliver(args: argparse.Namespace) -> int:
    """Deliver this incident's messages now, retrying until done or `--wait` runs out.

    Exit 0 when nothing is left pending or failed, 1 otherwise.
    """
    if args.wait < 0:
        raise CliError("--wait must be zero or more seconds")
    if args.attempts is not None and args.attempts < 1:
        raise CliError("--attempts must be at least 1")
    with open_log(args) as log:
        session = open_session(log, args.id)
        if not session.state.runbook.notify_targets:
            raise CliError(f"runbook '{session.state.runbook.id}' defines no notify targets")
        outcome: dict[str, int] = {}

        async def go(courier: Courier) -> None:
            if args.resend_failed and courier.resend_failed() == 0:
                print("no failed message to re-send", file=sys.stderr)
            courier.catch_up()
            await courier.deliver_until_settled(args.wait)
            outcome["pending"] = courier.pending()
            outcome["failed"] = sum(
                1 for d in session.state.deliveries.values() if d.status == "failed"
            )

        _with_courier(args, session, go, max_attempts=args.attempts)
    if outcome["pending"] or outcome["failed"]:
        hint = "; --resend-failed tries the failed ones again" if outcome["failed"] else ""
        raise CliError(
            f"{outcome['pending']} message(s) pending, {outcome['failed']} failed{hint}", 1
        )
    print("every message is delivered")
    return 0


def _with_courier(
    args: argparse.Namespace,
    session: IncidentSession,
    work: Callable[[Courier], Awaitable[None]],
    *,
    max_attempts: int | None = None,
    out: TextIO | None = None,
) -> None:
    """Runs `work` with a courier whose lines go to `out` (None: stdout)."""
    from tui.cli.courier import Courier  # loads httpx: only for incidents that send messages

    async def run() -> None:
        offset = _offset(session)
        async with Courier(
            session,
            db_path(args),
            say=lambda line: print(visible(f"{offset}  {line}"), file=out, flush=True),
            max_attempts=max_attempts,
        ) as courier:
            await work(courier)

    try:
        asyncio.run(run())
    except (StoreError, CommandError) as error:
        raise CliError(str(error)) from None


def _preview(args: argparse.Namespace) -> int:
    if args.template is None:
        raise CliError("--preview needs --template")
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        try:
            print(commands.compose_message(session.state, args.template, session.clock.now()))
        except CommandError as error:
            raise CliError(str(error)) from None
    return 0


def _offset(session: IncidentSession) -> str:
    return format_offset(elapsed(session.state, session.clock.now()))
