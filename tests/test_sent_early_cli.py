"""A message the runbook sends at a step, sent before that step is done, is said to be
early: "A rollback is being initiated" went to stakeholders before any decision, with
no word, where `run` warns before the decision and `resolved` while unverified
(review 7 F11). Said, not refused: the guide puts the announcement in "Declare an
incident", and the coordinator may know more."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli, declare

EARLY = (
    "warning: sent before decide-rollback is done, when the runbook sends it: "
    "it may tell stakeholders what is not so yet"
)


def test_announce_before_the_decision_says_so_and_after_it_does_not(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "early.db")
    incident_id = declare(cli)
    sent = cli.run("send", incident_id, "--template", "announce")
    assert sent.code == 0, sent
    assert EARLY in sent.out + sent.err, sent

    cli.ok("decide", incident_id, "--reason", "checkout failing", "--by", "Ada")
    sent = cli.run("send", incident_id, "--template", "initiating")
    assert sent.code == 0, sent
    assert "warning: sent before" not in sent.out + sent.err, sent

    # A message no step sends (a stakeholder update) is never early.
    sent = cli.run("send", incident_id, "--text", "all hands on the rollback")
    assert "warning: sent before" not in sent.out + sent.err, sent
