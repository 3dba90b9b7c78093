"""Due messages from the TUI: sent by themselves, confirmed, declined, re-sent.

A runbook's `notify.send` rule with `on:` makes a message due at a moment of the
incident. These tests drive the real app with Pilot on a real SQLite file, with
real receivers on loopback, and check what the record holds and what the
receivers actually got:

* `mode: auto` on `declared` is recorded once, delivered once, and never again
  when the app is restarted on the same file;
* `mode: confirm` on `step:<gate>` offers `m` only once the gate is done; the
  modal sends the edited text, or declines it with a recorded reason;
* a receiver that never answers does not hold up the keyboard;
* a message that failed for good is re-sent with `f` and delivered once.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, TextArea
from textual.widgets._footer import FooterKey

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import Clock, ManualClock, SystemClock
from incident.core.events import Event
from runbooks import load_runbook
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tests.webhook_receivers import Answers, WebhookReceiver, hang_forever
from tui.app.app import LastGoodApp
from tui.app.modals import ApprovalModal
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.incident_bar import IncidentBar

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


def write_runbook(tmp_path: Path, targets: dict[str, str], *send: str) -> Runbook:
    lines = [f'    - {{name: {name}, kind: slack, url: "{url}"}}' for name, url in targets.items()]
    path = tmp_path / "due.yaml"
    path.write_text(
        RUNBOOK.format(targets="\n".join(lines), send="\n".join(f"    {s}" for s in send))
    )
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
    """From the keyboard: space on the blocked gate asks for approval, space again checks."""
    app = pilot.app
    highlight(screen, GATE)
    await pilot.press("space")
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
    process can take the port in between.
    """

    def __init__(self, sock: socket.socket, answers: Answers | None = None) -> None:
        super().__init__(answers)
        self._sock = sock

    async def __aenter__(self) -> ReceiverOnSocket:
        self._server = await asyncio.start_server(self._connection, sock=self._sock)
        return self


# --- 1. mode: auto on declared ---------------------------------------------------------


async def test_auto_message_on_declared_is_sent_once_and_not_again_after_restart(tmp_path):
    async with WebhookReceiver() as team:
        runbook = write_runbook(tmp_path, {"team": team.url()}, AUTO_ON_DECLARED)
        db = tmp_path / "auto.db"
        incident_id = declare(db, runbook, SystemClock())

        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"], 10)
                [message] = screen.state.communications
                assert message.auto and message.moment == "declared"
                assert message.template == "initiating"
                assert message.text.startswith("Initiating rollback due to checkout 500s. ETA ")
                assert screen.state.steps["notify-stakeholders"].done
                assert notified(app, "Sent automatically")
                assert hides_due(screen)  # an auto message is never offered
                bar = str(screen.query_one(IncidentBar).render())
                assert "✉ all delivered" in bar

        assert len(team.requests) == 1
        assert team.requests[0].document == {"text": message.text}
        assert len(team.accepted_keys()) == 1
        events = stored(db, incident_id)
        [sent] = [e for e in events if e.kind == "communication.sent"]
        assert sent.payload["auto"] is True
        assert sent.payload["moment"] == "declared"
        assert sent.payload["text"] == message.text
        assert kinds(events).count("notification.queued") == 1
        assert kinds(events).count("notification.delivered") == 1
        [checked] = [e for e in events if e.kind == "step.checked"]
        assert checked.payload["step"] == "notify-stakeholders"
        assert kinds(events).index("communication.sent") < kinds(events).index(
            "notification.queued"
        )

        # A second start on the same file: the message is settled, nothing goes out.
        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                await pilot.pause(2.5)  # two ticks, each of which would send a due message
                assert len(app.screen.state.communications) == 1
                assert not notified(app, "Sent automatically")

        assert len(team.requests) == 1
    assert kinds(stored(db, incident_id)) == kinds(events)


# --- 2. mode: confirm on a step ----------------------------------------------------------


async def test_confirm_message_is_offered_after_the_gate_and_sent_as_edited(tmp_path):
    async with WebhookReceiver() as team:
        runbook = write_runbook(
            tmp_path, {"team": team.url()}, "initiating: [team]", CONFIRM_ON_GATE
        )
        db = tmp_path / "confirm.db"
        incident_id = declare(db, runbook, SystemClock())

        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(120, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await pilot.pause(1.2)  # a tick: still nothing is due
                assert hides_due(screen)
                assert not notified(app, "Message due")

                await approve_and_check_gate(pilot, screen)
                await wait_until(pilot, lambda: offers_due(screen))
                assert any("announce" in m for m in notified(app, "Message due"))

                # Esc leaves it for later: nothing recorded, still offered.
                await pilot.press("m")
                await wait_for_screen(pilot, DueMessageModal)
                await pilot.press("escape")
                await wait_for_screen(pilot, IncidentScreen)
                assert screen.state.communications == []
                await wait_until(pilot, lambda: offers_due(screen))

                await pilot.press("m")
                await wait_for_screen(pilot, DueMessageModal)
                text_area = app.screen.query_one("#text", TextArea)
                assert text_area.text == ANNOUNCED
                await pilot.press(*" Next update at 10:30.")
                assert text_area.text == ANNOUNCED + " Next update at 10:30."
                await pilot.press("ctrl+s")
                await wait_for_screen(pilot, IncidentScreen)

                [message] = screen.state.communications
                assert message.text == ANNOUNCED + " Next update at 10:30."
                assert message.moment == f"step:{GATE}" and not message.auto
                assert screen.state.steps["announce-rollback"].done
                await wait_until(pilot, lambda: hides_due(screen))
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"], 10)
                await pilot.pause(1.2)  # another tick: no second send

        assert [r.document for r in team.requests] == [{"text": message.text}]
        events = stored(db, incident_id)
        [sent] = [e for e in events if e.kind == "communication.sent"]
        assert sent.payload["text"] == ANNOUNCED + " Next update at 10:30."
        assert sent.payload["moment"] == f"step:{GATE}"
        assert sent.payload["template"] == "announce"
        assert "auto" not in sent.payload
        checked = [e.payload["step"] for e in events if e.kind == "step.checked"]
        assert checked == [GATE, "announce-rollback"]
        assert kinds(events).count("notification.queued") == 1
        assert kinds(events).count("notification.delivered") == 1


# --- 3. declining ---------------------------------------------------------------------


async def decline_from_the_modal(pilot, screen: IncidentScreen, how: str) -> None:
    await pilot.press("m")
    await wait_for_screen(pilot, DueMessageModal)
    if how == "key":
        await pilot.press("ctrl+d")
    else:
        await pilot.click("#decline")
    await fill_form(pilot, "enter", reason="customers already told on the status page")
    await wait_for_screen(pilot, IncidentScreen)


async def check_declined(tmp_path, how: str) -> None:
    async with WebhookReceiver() as team:
        runbook = write_runbook(
            tmp_path, {"team": team.url()}, "initiating: [team]", CONFIRM_ON_GATE
        )
        db = tmp_path / "decline.db"
        incident_id = declare(db, runbook, SystemClock())

        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(120, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await approve_and_check_gate(pilot, screen)
                await wait_until(pilot, lambda: offers_due(screen))
                await decline_from_the_modal(pilot, screen, how)

                await wait_until(pilot, lambda: len(screen.state.declined) == 1)
                [declined] = screen.state.declined
                assert declined.reason == "customers already told on the status page"
                assert declined.template == "announce"
                await wait_until(pilot, lambda: hides_due(screen))
                assert screen.state.communications == []
                assert not screen.state.steps["announce-rollback"].done
                await pilot.pause(1.2)  # a tick: the declined message stays unsent
                assert hides_due(screen)

    assert team.requests == []
    events = stored(db, incident_id)
    [event] = [e for e in events if e.kind == "communication.declined"]
    assert event.payload["reason"] == "customers already told on the status page"
    assert event.payload["template"] == "announce"
    assert event.payload["moment"] == f"step:{GATE}"
    assert event.payload["by"] == "ada"
    assert "communication.sent" not in kinds(events)
    assert "notification.queued" not in kinds(events)


async def test_declining_with_ctrl_d_records_the_reason_and_sends_nothing(tmp_path):
    await check_declined(tmp_path, "key")


async def test_declining_with_the_button_records_the_reason_and_sends_nothing(tmp_path):
    await check_declined(tmp_path, "button")


# --- 4. a receiver that never answers ----------------------------------------------------


async def test_keyboard_stays_live_while_a_delivery_hangs(tmp_path):
    async with WebhookReceiver(hang_forever) as team:
        runbook = write_runbook(tmp_path, {"team": team.url()}, AUTO_ON_DECLARED)
        db = tmp_path / "hang.db"
        incident_id = declare(db, runbook, SystemClock())

        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await wait_until(pilot, lambda: len(team.requests) == 1, 10)
                assert team.requests[0].answered is None  # in flight, never answered
                assert delivery_statuses(screen) == ["pending"]

                highlight(screen, "assess")
                await pilot.press("space")
                await wait_until(pilot, lambda: screen.state.steps["assess"].done)
                assert screen.query_one(Checklist).highlighted_step == "page-team"
                await pilot.press("space")
                await wait_until(pilot, lambda: screen.state.steps["page-team"].done)

                assert delivery_statuses(screen) == ["pending"]
                assert "✉ 1 pending" in str(screen.query_one(IncidentBar).render())

    events = stored(db, incident_id)
    checked = [e.payload["step"] for e in events if e.kind == "step.checked"]
    assert checked == ["notify-stakeholders", "assess", "page-team"]
    assert "notification.queued" in kinds(events)
    assert "notification.delivered" not in kinds(events)
    assert "notification.failed" not in kinds(events)


# --- 5. re-sending a message that failed for good ----------------------------------------


async def test_failed_message_is_resent_with_f_and_delivered_once(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = int(sock.getsockname()[1])
        runbook = write_runbook(
            tmp_path, {"team": f"http://127.0.0.1:{port}/hook"}, AUTO_ON_DECLARED
        )
        db = tmp_path / "resend.db"
        incident_id = declare(db, runbook, SystemClock())

        with SqliteEventLog.open(db) as log:
            app = make_app(log, runbook, incident_id)
            app.delivery_attempts = 2
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert screen.check_action("verb", ("deliver",)) is False
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["failed"], 15)
                await wait_until(pilot, lambda: "f" in screen.active_bindings)
                assert screen.check_action("verb", ("deliver",))
                assert "✉ 1 FAILED" in str(screen.query_one(IncidentBar).render())
                assert notified(app, "Message not delivered")

                async with ReceiverOnSocket(sock) as team:
                    await pilot.press("f")
                    await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"], 10)
                    await wait_until(pilot, lambda: "f" not in screen.active_bindings)
                    await pilot.pause(1.2)  # a tick: nothing more goes out
                    [message] = screen.state.communications

    assert [r.document for r in team.requests] == [{"text": message.text}]
    assert len(team.accepted_keys()) == 1
    events = stored(db, incident_id)
    notes = [e for e in events if e.kind.startswith("notification.")]
    assert [e.kind for e in notes] == [
        "notification.queued",
        "notification.failed",
        "notification.requeued",
        "notification.delivered",
    ]
    assert len({e.payload["key"] for e in notes}) == 1
    assert notes[1].payload["attempts"] == 2
    assert "refused" in str(notes[1].payload["error"])
    assert notes[0].payload["key"] == team.accepted_keys()[0]


# --- the modal, frozen ----------------------------------------------------------------------

SNAP_T0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)


def due_modal_app(tmp_path: Path) -> LastGoodApp:
    """The gate approved and done at T+2:10 with the clock frozen at T+2:30."""
    clock = ManualClock(SNAP_T0)
    runbook = write_runbook(
        tmp_path, {"team": "https://hooks.example/team"}, "initiating: [team]", CONFIRM_ON_GATE
    )
    db = tmp_path / "snap.db"
    incident_id = declare(db, runbook, clock, incident_id="INC-20261128-DUE")
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        clock.set(SNAP_T0 + timedelta(minutes=2))
        session.run(
            lambda s: commands.approve(s, GATE, by="Ada", reason="errors", actor="ada", clock=clock)
        )
        clock.set(SNAP_T0 + timedelta(minutes=2, seconds=10))
        session.run(lambda s: commands.check_step(s, GATE, actor="ada", clock=clock))
    clock.set(SNAP_T0 + timedelta(minutes=2, seconds=30))
    return LastGoodApp(
        SqliteEventLog.open(db),
        runbook,
        clock=clock,
        actor="ada",
        incident_id=incident_id,
        poll_probes=False,
    )


async def open_due_modal(pilot) -> None:
    await wait_for_screen(pilot, IncidentScreen)
    await wait_until(pilot, lambda: pilot.app.screen.check_action("due_message", ()) is True)
    await pilot.press("m")
    await wait_for_screen(pilot, DueMessageModal)
    pilot.app.screen.query_one(TextArea).cursor_blink = False
    await pilot.pause()


def test_due_message_modal_snapshot(snap_compare, tmp_path):
    assert snap_compare(due_modal_app(tmp_path), terminal_size=(80, 24), run_before=open_due_modal)
