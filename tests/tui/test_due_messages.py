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

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import TextArea
from textual.widgets._footer import FooterKey

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock, SystemClock
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import (
    ANNOUNCED,
    AUTO_ON_DECLARED,
    CONFIRM_ON_GATE,
    GATE,
    approve_and_check_gate,
    declare,
    delivery_statuses,
    hides_due,
    kinds,
    make_app,
    notified,
    offers_due,
    stored,
    write_runbook,
)
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_for_ticks, wait_until
from tests.webhook_receivers import WebhookReceiver
from tui.app.app import LastGoodApp
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.incident_bar import IncidentBar

TOAST_LIFE_S = 3600.0
"""How long a toast stays up in `toasts_outlast_the_test`: longer than any test."""

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
                await wait_for_ticks(pilot, app.screen, 2)  # each would send a due message
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
                await wait_for_ticks(pilot, screen)  # still nothing is due
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
                await wait_for_ticks(pilot, screen)  # no second send

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
                await wait_for_ticks(pilot, screen)  # the declined message stays unsent
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
        network=False,
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


async def test_send_due_is_in_sight_in_the_footer_at_80_columns(tmp_path):
    """`m Send due` came after every verb and fell off the footer's edge at 80 columns
    (a review): it comes right after help now, while a message waits."""
    app = due_modal_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await wait_until(pilot, lambda: offers_due(screen))
        await pilot.pause()
        due = next(key for key in screen.query(FooterKey) if key.action == "due_message")
        assert 0 < due.region.right <= 80 and due.region.width > 0


def toasts_outlast_the_test(app: LastGoodApp, monkeypatch) -> None:
    """Every toast `app` raises stays up for an hour. A toast's life is wall time (the
    due toast's 10 s), and on a loaded machine (load 12 on 2 cores) the keys between its
    raising and its revision took 15 s: it was gone, as it should be by then, before the
    test could see it revised, however long the test waited."""
    notify = app.notify

    def lasting(message: str, *, timeout: float | None = None, **kwargs) -> None:
        notify(message, timeout=TOAST_LIFE_S, **kwargs)

    monkeypatch.setattr(app, "notify", lasting)


async def test_the_due_toast_says_what_still_waits_once_one_is_sent(tmp_path, monkeypatch):
    """ "2 messages due — press m: announce, initiating" stayed up, unchanged, after
    announce was sent (a review): it names the one left, for the time it had left."""
    both = f'initiating: {{to: [team], on: "step:{GATE}"}}'
    runbook = write_runbook(tmp_path, {"team": "http://127.0.0.1:9/hook"}, CONFIRM_ON_GATE, both)
    db = tmp_path / "two.db"
    incident_id = declare(db, runbook, SystemClock())
    with SqliteEventLog.open(db) as log:
        app = make_app(log, runbook, incident_id)
        toasts_outlast_the_test(app, monkeypatch)
        async with app.run_test(size=(120, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await approve_and_check_gate(pilot, screen)
            await wait_until(pilot, lambda: offers_due(screen))
            await wait_until(
                pilot, lambda: any("2 messages due" in m for m in notified(app, "Message due"))
            )
            raised = [n.raised_at for n in app._notifications if n.title == "Message due"]

            await pilot.press("m")
            await wait_for_screen(pilot, DueMessageModal)
            first = app.screen
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: len(screen.state.communications) == 1)
            sent = screen.state.communications[0].template
            # The one sent, the other opens by itself, as `m` would; Esc leaves it for later.
            await wait_until(
                pilot, lambda: isinstance(app.screen, DueMessageModal) and app.screen is not first
            )
            second = app.screen
            assert isinstance(second, DueMessageModal)
            other = ({"announce", "initiating"} - {sent}).pop()
            assert second.heading_text == f"Send: {other} · 2 of 2 due"
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(
                pilot,
                lambda: (
                    len(notified(app, "Message due")) == 1
                    and "2 messages" not in notified(app, "Message due")[0]
                ),
            )
            [left] = notified(app, "Message due")
            assert sent not in left and left.startswith("1 message due — press m: ")
            assert [n.raised_at for n in app._notifications if n.title == "Message due"] == raised
