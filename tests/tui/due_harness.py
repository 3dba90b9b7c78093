"""What the due-message tests share: a runbook whose `notify.send` rules make messages due,
an incident declared on a real file, and ways to read the screen and the record."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from textual.widgets import Input
from textual.widgets._footer import FooterKey

from incident import commands
from incident.core.clock import Clock, SystemClock
from incident.core.events import Event
from runbooks import load_runbook
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.webhook_receivers import Answers, WebhookReceiver
from tui.app.app import LastGoodApp
from tui.app.modals import ApprovalModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist

RUNBOOK = """\
runbook: due-demo
title: Due messages demo
roles: [incident-commander]
templates:
  initiating: "Initiating rollback due to {{issue}}. ETA {{eta}}."
  announce: "Rollback decided for {{title}} ({{severity}}). Incident commander: {{commander}}."
notify:
  targets:
{targets}
  send:
{send}
phases:
  - id: decide
    title: Decision and Communication
    window: [0, 5]
    steps:
      - id: assess
        title: Assess severity
      - id: page-team
        title: Page the team
      - id: notify-stakeholders
        title: Notify stakeholders
        kind: communication
        template: initiating
      - id: decide-rollback
        title: Decide to roll back
        kind: approval
        approver: incident-commander
      - id: announce-rollback
        title: Announce the rollback
        kind: communication
        template: announce
"""

GATE = "decide-rollback"
ANNOUNCED = "Rollback decided for Checkout errors (SEV2). Incident commander: Ada."
DETAILS = commands.Declaration(
    title="Checkout errors", severity="SEV2", commander="Ada", issue="checkout 500s"
)
AUTO_ON_DECLARED = "initiating: {to: [team], on: declared, mode: auto}"
CONFIRM_ON_GATE = f'announce: {{to: [team], on: "step:{GATE}"}}'


def write_runbook(
    tmp_path: Path, targets: dict[str, str], *send: str, text: str = RUNBOOK
) -> Runbook:
    """`text` (`RUNBOOK` by default) with these targets and send rules, loaded."""
    lines = [f'    - {{name: {name}, kind: slack, url: "{url}"}}' for name, url in targets.items()]
    path = tmp_path / "due.yaml"
    path.write_text(text.format(targets="\n".join(lines), send="\n".join(f"    {s}" for s in send)))
    return load_runbook(path)


def declare(db: Path, runbook: Runbook, clock: Clock, incident_id: str | None = None) -> str:
    event = commands.declare(runbook, DETAILS, actor="ada", clock=clock, incident_id=incident_id)
    with SqliteEventLog.open(db) as log:
        log.append([event])
    return event.incident_id


def make_app(log: SqliteEventLog, runbook: Runbook, incident_id: str) -> LastGoodApp:
    return LastGoodApp(log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id)


def stored(db: Path, incident_id: str) -> list[Event]:
    with SqliteEventLog.open(db, read_only=True) as reader:
        return reader.events(incident_id)


def kinds(events: list[Event]) -> list[str]:
    return [e.kind for e in events]


def offers_due(screen: IncidentScreen) -> bool:
    """`m` as the coordinator sees it: allowed by check_action and shown in the footer."""
    allowed = screen.check_action("due_message", ()) is True
    shown = "due_message" in {key.action for key in screen.query(FooterKey)}
    return allowed and shown


def hides_due(screen: IncidentScreen) -> bool:
    """Neither allowed nor shown (the footer redraws a moment after check_action changes)."""
    allowed = screen.check_action("due_message", ()) is True
    shown = "due_message" in {key.action for key in screen.query(FooterKey)}
    return not allowed and not shown


def delivery_statuses(screen: IncidentScreen) -> list[str]:
    return sorted(d.status for d in screen.state.deliveries.values())


def notified(app: LastGoodApp, title: str) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == title]


def highlight(screen: IncidentScreen, step_id: str) -> None:
    checklist = screen.query_one(Checklist)
    checklist.highlighted = next(
        i for i in range(checklist.option_count) if checklist.get_option_at_index(i).id == step_id
    )


async def approve_and_check_gate(pilot, screen: IncidentScreen) -> None:
    """From the keyboard: `a` on the gate asks for a bare approval, then space checks it."""
    app = pilot.app
    highlight(screen, GATE)
    await pilot.press("a")
    await wait_for_screen(pilot, ApprovalModal)
    app.screen.query_one("#approver", Input).value = "Ada"
    app.screen.query_one("#reason", Input).value = "error rate above the trigger"
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IncidentScreen)
    await wait_until(pilot, lambda: GATE in screen.state.approvals)
    assert hides_due(screen)  # approved is not done: the moment has not come
    highlight(screen, GATE)
    await pilot.press("space")
    await wait_until(pilot, lambda: screen.state.steps[GATE].done)


class ReceiverOnSocket(WebhookReceiver):
    """A `WebhookReceiver` that starts listening on a socket bound beforehand.

    Until then the bound, non-listening port refuses connections, and no other
    process can take the port in between: its URLs, written before it listens, need
    no prefix of their own.
    """

    def __init__(self, sock: socket.socket, answers: Answers | None = None) -> None:
        super().__init__(answers, prefix="")
        self._sock = sock

    async def __aenter__(self) -> ReceiverOnSocket:
        self._server = await asyncio.start_server(self._connection, sock=self._sock)
        return self
