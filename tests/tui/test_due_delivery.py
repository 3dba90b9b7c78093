"""A due message whose receiver hangs keeps the keyboard live; one that failed for good is
re-sent with `f` and delivered once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.widgets._footer import FooterKey

from incident.core.clock import SystemClock
from store.errors import StoreError
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import (
    AUTO_ON_DECLARED,
    ReceiverOnSocket,
    declare,
    delivery_statuses,
    highlight,
    kinds,
    make_app,
    notified,
    stored,
    write_runbook,
)
from tests.tui.pilot_helpers import wait_for_screen, wait_for_ticks, wait_until
from tests.tui.screen_text import screen_lines
from tests.webhook_receivers import WebhookReceiver, hang_forever
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.incident_bar import IncidentBar


def footer_keys(screen: IncidentScreen) -> dict[str, str]:
    """The keys the footer draws, with their labels."""
    return {key.key: key.description for key in screen.query(FooterKey) if key.display}


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
                await wait_until(pilot, lambda: len(team.requests) == 1)
                assert team.requests[0].answered is None  # in flight, never answered
                # The request can reach the receiver before the screen has folded the
                # event that queued it (a failure seen once under load).
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["pending"])

                highlight(screen, "assess")
                await pilot.press("space")
                await wait_until(pilot, lambda: screen.state.steps["assess"].done)
                # The highlight moves on in the check's reply, after the fold.
                checklist = screen.query_one(Checklist)
                await wait_until(pilot, lambda: checklist.highlighted_step == "page-team")
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


def shown(app: LastGoodApp) -> str:
    """The screen's text on one line: a checklist row may wrap."""
    return " ".join(" ".join(line.strip(" │").split()) for line in screen_lines(app))


@contextmanager
def refusing_target(tmp_path: Path) -> Iterator[tuple[socket.socket, Path, Path, str]]:
    """A webhook target whose port is bound but not listening (connections refused),
    a runbook that sends to it by itself on the declaration, and an incident declared
    with it: the socket, the runbook, the database and the incident's id."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        runbook = write_runbook(
            tmp_path, {"team": f"http://127.0.0.1:{port}/hook"}, AUTO_ON_DECLARED
        )
        db = tmp_path / "refused.db"
        yield sock, runbook, db, declare(db, runbook, SystemClock())


async def test_failed_message_is_resent_with_f_and_delivered_once(tmp_path):
    with (
        refusing_target(tmp_path) as (sock, runbook, db, incident_id),
        SqliteEventLog.open(db) as log,
    ):
        app = make_app(log, runbook, incident_id)
        app.delivery_attempts = 2
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert screen.check_action("verb", ("deliver",)) is False
            await wait_until(pilot, lambda: delivery_statuses(screen) == ["failed"])
            await wait_until(pilot, lambda: "f" in screen.active_bindings)
            assert screen.check_action("verb", ("deliver",))
            # in the footer while it has failed, as `m` while a message is due: a new
            # on-call saw `✉ 1 FAILED` and no key for it (a review)
            await wait_until(pilot, lambda: footer_keys(screen).get("f") == "Re-send")
            assert "✉ 1 FAILED" in str(screen.query_one(IncidentBar).render())
            # its step, checked by the send, says the message never arrived (a review:
            # "Notify stakeholders" stayed [x] after every try failed)
            await wait_until(pilot, lambda: "(not delivered: f re-sends)" in shown(app))
            # The toast follows the failure's fold; under load it may be a frame later.
            await wait_until(pilot, lambda: bool(notified(app, "Message not delivered")))

            async with ReceiverOnSocket(sock) as team:
                await pilot.press("f")
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"])
                await wait_until(pilot, lambda: "f" not in screen.active_bindings)
                await wait_until(pilot, lambda: "f" not in footer_keys(screen))
                await wait_until(pilot, lambda: "not delivered" not in shown(app))
                await wait_for_ticks(pilot, screen)  # nothing more goes out
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
    # re-sent by the person who pressed `f`, not by the tool (a review)
    assert (notes[2].actor, notes[2].payload["by"]) == ("ada", "ada")
    assert notes[3].actor == "lastgood"  # the delivery itself is the tool's
    assert notes[1].payload["attempts"] == 2
    assert "refused" in str(notes[1].payload["error"])
    assert notes[0].payload["key"] == team.accepted_keys()[0]


async def test_a_message_retried_says_so_in_the_bar_with_its_error(tmp_path):
    """While its tries fail, the bar said "✉ 1 pending" for two minutes of HTTP 500s,
    and the error showed only once every try had failed (a fresh user's review)."""
    with (
        refusing_target(tmp_path) as (_sock, runbook, db, incident_id),
        SqliteEventLog.open(db) as log,
    ):
        app = make_app(log, runbook, incident_id)  # eight tries: two minutes of them
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            bar = screen.query_one(IncidentBar)
            await wait_until(pilot, lambda: "✉ 1 retrying (" in str(bar.render()))
            assert delivery_statuses(screen) == ["pending"]
            assert "pending" not in str(bar.render())


# --- 6. --no-probes ----------------------------------------------------------------------


async def test_without_probes_webhook_messages_are_still_delivered(tmp_path):
    """`lastgood start --no-probes` turned the whole network off: the bar said
    "✉ 2 pending" for good and `f` did nothing (a hostile review). The flag is about
    probes; the team still gets its messages."""
    async with WebhookReceiver() as team:
        runbook = write_runbook(tmp_path, {"team": team.url()}, AUTO_ON_DECLARED)
        db = tmp_path / "no-probes.db"
        incident_id = declare(db, runbook, SystemClock())
        with SqliteEventLog.open(db) as log:
            app = LastGoodApp(
                log,
                runbook,
                clock=SystemClock(),
                actor="ada",
                incident_id=incident_id,
                poll_probes=False,
            )
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"])
                assert screen.probes.polling is None and screen.probes.probe_child is None
    assert len(team.accepted_keys()) == 1


# --- 7. the outbox out of reach ----------------------------------------------------------


class OutboxOutOfReach(SqliteEventLog):
    """The record, with its outbox refused the first `refusals` times it is opened: what
    a PostgreSQL server restarting as the screen comes up does."""

    refusals = 2

    def open_outbox(self):  # type: ignore[no-untyped-def]
        if self.refusals:
            self.refusals -= 1
            raise StoreError("postgresql://h/db", "cannot connect: connection refused")
        return super().open_outbox()


async def test_an_outbox_out_of_reach_pauses_deliveries_and_they_resume(tmp_path, monkeypatch):
    """Opening the outbox when the server was down ended the app in a traceback (seen
    under load in test_postgres_restart.py); now deliveries wait for it."""
    import tui.app.screens.deliveries as deliveries_module
    from tui.app.screens.deliveries import Deliveries

    monkeypatch.setattr(deliveries_module, "OUTBOX_RETRY_S", 0.05)
    said: list[str] = []
    say = Deliveries.say

    def heard(deliveries: Deliveries, trouble: StoreError | None) -> None:
        said.append("resumed" if trouble is None else f"paused: {trouble}")
        say(deliveries, trouble)

    monkeypatch.setattr(Deliveries, "say", heard)
    async with WebhookReceiver() as team:
        runbook = write_runbook(tmp_path, {"team": team.url()}, AUTO_ON_DECLARED)
        db = tmp_path / "outbox.db"
        incident_id = declare(db, runbook, SystemClock())
        with OutboxOutOfReach.open(db) as log:
            app = make_app(log, runbook, incident_id)
            async with app.run_test(size=(100, 30), notifications=True) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                await wait_until(pilot, lambda: delivery_statuses(screen) == ["delivered"])
                assert said == [  # paused once, not once a retry
                    "paused: postgresql://h/db: cannot connect: connection refused",
                    "resumed",
                ]
                assert notified(app, "Deliveries") == ["Webhook deliveries resumed"]
    assert len(team.accepted_keys()) == 1
