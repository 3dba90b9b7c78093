"""Sending a template that fills a stand-in for a value the incident lacks warns.

Declared without `--channel`, the announcement went out as "Channel: the incident
channel." while "Create a dedicated communication channel" stayed open, unwarned; without
`--issue` and `--eta`, "Initiating rollback due to <the title>. ETA to be confirmed."
(ux_review15 #7). The message is still recorded (said, not refused), with a warning that
names each placeholder, why it has no value and how to give it.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli

DECLARE = ("declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada")
CHANNEL = "{channel}: no channel was named: name it first (Set channel; lastgood channel ID NAME)"


def warnings(out: str) -> list[str]:
    """The stand-in warnings among a verb's lines, without their T+ stamp."""
    return [line.split("  ", 1)[1] for line in out.splitlines() if "stand-in" in line]


def test_a_missing_channel_issue_and_eta_are_warned_of_and_named(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "x.db", actor="Ada")
    incident = cli.ok(*DECLARE).strip()
    cli.ok("decide", incident, "--reason", "error rate over 5%")
    announce = cli.run("send", incident, "--template", "announce")
    assert announce.code == 0, announce.err
    assert warnings(announce.out) == [
        "warning: it fills this with a stand-in: "
        f"{CHANNEL}; or write the value into the message (the dialog's text; send --text)"
    ], announce.err
    initiating = cli.run("send", incident, "--template", "initiating")
    assert initiating.code == 0, initiating.err
    [said] = warnings(initiating.out)
    assert "{issue}: no --issue at declare, so it reads the title" in said
    assert "{eta}: no --eta at declare" in said


def test_no_warning_once_the_values_are_given(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "x.db", actor="Ada")
    incident = cli.ok(
        *DECLARE, "--from-version", "2.4.1", "--last-good", "2.4.0", "--issue", "500s",
        "--eta", "20",
    ).strip()  # fmt: skip
    cli.ok("decide", incident, "--reason", "error rate over 5%")
    cli.ok("channel", incident, "#inc-checkout")
    for template in ("announce", "paging", "initiating"):
        sent = cli.run("send", incident, "--template", template)
        assert sent.code == 0, sent.err
        assert warnings(sent.out) == [], sent.out
    written = cli.run("send", incident, "--template", "update", "--text", "All good.")
    assert written.code == 0, written.err
    assert warnings(written.out) == []
