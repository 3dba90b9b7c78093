"""The CLI's delivery: `deliver`, and what follows any recording.

After a verb records something, the moment a runbook rule waits for may have come
(`lastgood check ID decide-rollback`): `follow_up` sends what is due by itself, hands
recorded messages to the outbox and makes one delivery attempt, each bounded by
`FOLLOW_UP_TIMEOUT_S`, so a team working from the CLI gets its webhooks too and a
webhook that never answers holds no verb up for the deliverer's own timeout.
Retries are `lastgood deliver`'s job, or an open TUI's, or `monitor`'s. What it says
goes to stderr: stdout is the verb's own answer, which scripts read
(`id=$(lastgood declare ...)` must get the id alone).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.core.phase_clocks import t_plus
from incident.core.text import counted, visible
from store.errors import StoreError
from tui.cli.arguments import Arguments
from tui.cli.context import actor_name, db_location, open_log, open_session
from tui.cli.errors import CliError, store_failure
from tui.cli.fitted import fitted

if TYPE_CHECKING:
    from tui.cli.courier import Courier


FOLLOW_UP_TIMEOUT_S = 1.0
"""How long a recording verb's one delivery waits for a webhook's answer (a receiver
that accepted the connection and never answered held `note` some 6 s, review9 #13);
what did not answer stays in the outbox, pending, for `deliver` to retry."""


def follow_up(args: Arguments, session: IncidentSession) -> None:
    """After a recording verb, what an open TUI would record by now (auto-sends, a
    stakeholder update missed) and one delivery round; quiet when there is none."""
    if not session.state.runbook.notify_targets:  # nothing to deliver: no event loop
        from tui.cli.courier import Courier

        courier = Courier(session, db_location(args), say=_say(session, sys.stderr))
        with _as_cli_errors():
            courier.catch_up()
        _print_awaiting(courier, session)
        return

    async def go(courier: Courier) -> None:
        courier.catch_up()
        await courier.deliver_round()
        _print_awaiting(courier, session)
        if pending := courier.pending():
            print(
                f"queued: {counted(pending, 'message')} not delivered yet (no answer within "
                f"{FOLLOW_UP_TIMEOUT_S:g} s, or a failure said above); "
                f"`lastgood deliver {session.state.id}` "
                "retries them (so does an open lastgood TUI or `lastgood monitor`)",
                file=sys.stderr,
            )

    _with_courier(args, session, go, out=sys.stderr, timeout_s=FOLLOW_UP_TIMEOUT_S)


def cmd_deliver(args: Arguments) -> int:
    """Deliver this incident's messages now, retrying until done or `--wait` runs out.

    Exit 0 when nothing is left pending or failed, 1 otherwise. Pending is what the
    record says as much as what the outbox holds: a message the record shows waiting
    is not delivered because no outbox row is left to send it.
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
        by = actor_name(args) if args.resend_failed else ""

        async def go(courier: Courier) -> None:
            if args.resend_failed and courier.resend_failed(by) == 0:
                print("no failed message to re-send", file=sys.stderr)
            courier.catch_up()
            await courier.deliver_until_settled(args.wait)
            session.refresh()  # what other deliverers recorded meanwhile
            statuses = [d.status for d in session.state.deliveries.values()]
            outcome["pending"] = max(courier.pending(), statuses.count("pending"))
            outcome["failed"] = statuses.count("failed")

        _with_courier(args, session, go, max_attempts=args.attempts)
    if outcome["pending"] or outcome["failed"]:
        hint = "; --resend-failed tries the failed ones again" if outcome["failed"] else ""
        raise CliError(
            f"{counted(outcome['pending'], 'message')} pending, {outcome['failed']} failed{hint}", 1
        )
    print("every message is delivered")
    return 0


def _with_courier(
    args: Arguments,
    session: IncidentSession,
    work: Callable[[Courier], Awaitable[None]],
    *,
    max_attempts: int | None = None,
    out: TextIO | None = None,
    timeout_s: float | None = None,
) -> None:
    """Runs `work` with a courier whose lines go to `out` (None: stdout)."""
    import asyncio

    from tui.cli.courier import Courier

    async def run() -> None:
        async with Courier(
            session,
            db_location(args),
            say=_say(session, out),
            max_attempts=max_attempts,
            timeout_s=timeout_s,
        ) as courier:
            await work(courier)

    with _as_cli_errors():
        asyncio.run(run())


@contextmanager
def _as_cli_errors() -> Iterator[None]:
    """The record's and the domain's refusals, as the verb's one-line error."""
    try:
        yield
    except StoreError as error:
        raise store_failure(error) from None
    except CommandError as error:
        raise CliError(str(error)) from None


def _say(session: IncidentSession, out: TextIO | None) -> Callable[[str], None]:
    """A courier's line printed to `out` (None: stdout) after the T+ of now: of the
    moment it says, each line its own (a retry 14 s into `deliver --wait` is not
    stamped with the run's start), and not `elapsed`, which stops at the close (a
    delivery after it read the close's T+)."""

    def say(line: str) -> None:
        offset = t_plus(session.state, session.clock.now())
        print(visible(f"{offset}  {line}"), file=out, flush=True)

    return say


def _print_awaiting(courier: Courier, session: IncidentSession) -> None:
    """How to send or decline the messages that wait for the coordinator, on stderr,
    wrapped at words when it is a terminal."""
    for line in courier.awaiting_lines(session.state.id):
        print(fitted(line, sys.stderr), file=sys.stderr)
