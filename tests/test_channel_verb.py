"""`lastgood channel ID NAME`: the incident channel named after the declaration.

The README's script declares without `--channel` and checks `create-channel` with the
channel in its note, so every message went out saying "the incident channel" and the
report's Channel row stayed empty; no verb could name it afterwards (a second review
of the wheel). Run as a user runs it, on a real file.
"""

from __future__ import annotations

from tests.cli_helpers import InProcessCli

DECLARE = ("declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada")


def test_messages_and_the_report_name_the_channel_set_after_declaring(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    incident = cli.ok(*DECLARE, "--pattern", "blue-green").strip()
    before = cli.ok("send", incident, "--template", "announce", "--preview")
    assert "Channel: the incident channel." in before
    said = cli.ok("channel", incident, "#inc-checkout")
    assert said.rstrip().endswith("the incident channel is #inc-checkout: messages name it")
    after = cli.ok("send", incident, "--template", "announce", "--preview")
    assert "Channel: #inc-checkout." in after
    assert "· ada · Incident channel: #inc-checkout" in cli.ok("timeline", incident)
    assert "| Channel | #inc-checkout |" in cli.ok("export", incident)


def test_the_same_channel_again_or_none_is_refused(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    incident = cli.ok(*DECLARE, "--channel", "#inc-checkout").strip()
    again = cli.run("channel", incident, "#inc-checkout")
    assert (again.code, again.err) == (
        2,
        "lastgood channel: the incident channel is #inc-checkout already\n",
    )
    blank = cli.run("channel", incident, "  ")
    assert blank.code == 2 and "which channel?" in blank.err
