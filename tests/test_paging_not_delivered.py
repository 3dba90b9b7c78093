""" "Assemble the Team: Page the deployment team and on-call engineers" with no target
that delivers the page: the message was recorded "to" the incident channel, the step
ticked with nothing said, and the report's Pages table named the channel as who was
paged (ux_review15 #3). Now sending it says "not delivered: post it yourself" before
the step's tick, the step's guidance offers `page WHO` (`p`), the due dialog says so
before ctrl+s, and the Pages table names no one for an undelivered page.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.next_key import next_key
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, declared

NOT_DELIVERED = (
    "not delivered: post it yourself to the deployment team and on-call engineers (no "
    "target takes the paging message), and record who you paged: page WHO"
)


def test_the_page_says_it_went_nowhere_before_the_tick_and_the_report_names_no_one(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "p.db").in_process()
    incident = declare(cli, "--channel", "#inc-checkout")
    cli.ok("decide", incident, "--reason", "errors", "--by", "Ada")
    sent = cli.run("send", incident, "--template", "paging")
    assert sent.code == 0, sent.err
    lines = [line.split("  ", 1)[-1] for line in sent.out.splitlines()]
    assert NOT_DELIVERED in lines
    assert lines.index(NOT_DELIVERED) < lines.index("checked assemble-team: the message was due"), (
        lines
    )
    report = cli.ok("export", incident)
    pages = report.split("### Pages", 1)[1].split("###", 1)[0]
    row = next(line for line in pages.splitlines() if "paging message" in line)
    paged = row.split("|")[3].strip()
    assert paged == "no one named (not delivered)", row
    assert "record who was paged with page WHO" in row
    cli.ok("page", incident, "payments-oncall rota", "--note", "PagerDuty")
    report = cli.ok("export", incident)
    assert "| payments-oncall rota | page |" in report


def test_the_steps_guidance_offers_page_who(tmp_path: Path) -> None:
    scenario = declared(tmp_path / "s.db")
    hint = next_key(scenario.session.state, "assemble-team", scenario.clock.now())
    assert hint is not None
    assert hint.what.endswith("; not delivered: post it yourself, p records who you paged")
    scenario.log.close()


async def test_the_due_dialog_says_so_before_ctrl_s(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    scenario = declared(db)
    clock = scenario.clock
    scenario.run(
        lambda s: commands.approve(
            s, "decide-rollback", by="Ada Lovelace", reason="errors", actor=ACTOR, clock=clock
        )
    )
    scenario.run(lambda s: commands.check_step(s, "decide-rollback", actor=ACTOR, clock=clock))
    for sent in ("announce", "initiating"):  # the page alone left due
        scenario.session.run_many(
            lambda s, sent=sent: commands.send_due(s, sent, actor=ACTOR, clock=clock)
        )
    runbook, incident = scenario.runbook, scenario.incident_id
    scenario.log.close()
    app = LastGoodApp(
        SqliteEventLog.open(db),
        runbook,
        clock=clock,
        actor=ACTOR,
        incident_id=incident,
        network=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: pilot.app.screen.check_action("due_message", ()) is True)
        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        modal = pilot.app.screen
        assert modal.heading == "Send: paging"
        assert modal.warning == NOT_DELIVERED
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
