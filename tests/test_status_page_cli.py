"""The status page end to end, as a team runs it: the resolution is posted to the status
page's target (a real receiver on loopback) through the outbox, and the report says when
the page was updated, or that it was not and where to update it by hand; without a page,
the words say none is configured instead of implying one is updated."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import InProcessCli, declared_beside, run_beside
from tests.webhook_receivers import WebhookReceiver, always

PAGE_URL = "https://status.example.com/checkout"
RUNBOOK = """\
runbook: status-page
title: Status page
templates:
  initiating: "Initiating rollback due to {issue}."
  resolved: "Resolved: {title}. We performed a rollback."
notify:
  targets:
    - {name: team, kind: json, url: "${TEAM_HOOK}"}
    - {name: statuspage, kind: json, url: "${PAGE_HOOK}"}
  send:
    initiating: [team]
    resolved: [team]
%(page)sphases:
  - id: verify
    title: Verify
    steps:
      - id: communicate-resolution
        title: Communicate resolution
        kind: communication
        template: resolved
        guidance: Notify all stakeholders that the issue is resolved.
"""
WITH_TARGET = f"status_page: {{url: '{PAGE_URL}', target: statuspage}}\n"
BY_HAND = f"status_page: {{url: '{PAGE_URL}'}}\n"


Briefs = tuple[dict[str, object], dict[str, object]]
"""`brief --json` before the resolution is sent, and once it was delivered."""


async def _resolved(
    tmp_path: Path, page: str, answers: int, *then: tuple[str, ...]
) -> tuple[str, str, WebhookReceiver, Briefs]:
    """Declare, send the resolution, deliver it (the page's target answering `answers`),
    then run each of `then` (`status-page ID ...`, the incident's id put second): the
    report, `brief` and `status` before the send, the receiver, and `brief --json`
    before the send and after the delivery (and `then`)."""
    async with WebhookReceiver(always(answers)) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK % {"page": page})
        cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
        cli.env["TEAM_HOOK"] = hook.url("/team")
        cli.env["PAGE_HOOK"] = hook.url("/page")
        incident = await declared_beside(
            cli,
            *("--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"),
            *("--issue", "checkout errors", "--runbook", str(runbook)),
        )
        brief = await run_beside(cli, "brief", incident)
        assert brief.code == 0, brief.err
        before = await run_beside(cli, "brief", incident, "--json")
        assert before.code == 0, before.err
        status = await run_beside(cli, "status", incident)
        assert status.code == 0, status.err
        sent = await run_beside(cli, "send", incident, "--template", "resolved")
        assert sent.code == 0, sent.err
        await run_beside(cli, "deliver", incident, "--attempts", "1", "--wait", "5")
        for verb, *rest in then:
            done = await run_beside(cli, verb, incident, *rest)
            assert done.code == 0, done.err
        report = await run_beside(cli, "export", incident)
        assert report.code == 0, report.err
        after = await run_beside(cli, "brief", incident, "--json")
        assert after.code == 0, after.err
    return report.out, brief.out + status.out, hook, (json.loads(before.out), json.loads(after.out))


def page_of(brief: dict[str, object]) -> dict[str, object]:
    """`brief --json`'s status page, its sentence checked against the text brief's lines."""
    page = brief["status_page"]
    assert isinstance(page, dict), brief
    lines = brief["lines"]
    assert isinstance(lines, list)
    said = [line for line in lines if line.lower().lstrip().startswith("status page: ")]
    assert len(said) == 1, lines
    line = said[0]  # cut at 100 characters with an ellipsis, as every brief line
    whole = [f"  status page: {page['said']}", f"Status page: {page['said']}"]
    assert line in whole or (line.endswith("…") and any(w.startswith(line[:-1]) for w in whole))
    return page


async def test_the_resolution_is_posted_to_the_page_and_the_report_says_when(
    tmp_path: Path,
) -> None:
    report, brief, hook, briefs = await _resolved(tmp_path, WITH_TARGET, 200)
    posted = [r for r in hook.requests if r.path.endswith("/page")]
    assert len(posted) == 1
    assert isinstance(posted[0].document, dict)
    assert posted[0].document["template"] == "resolved"
    assert posted[0].document["text"] == "Resolved: Checkout errors. We performed a rollback."
    assert [r.path.rsplit("/", 1)[-1] for r in hook.requests].count("team") == 1
    assert re.search(
        r"Status page updated at T\+\d\d:\d\d \(https://status\.example\.com/checkout\)\.", report
    ), report
    assert f"  status page: the message is posted to {PAGE_URL}\n" in brief
    before, after = page_of(briefs[0]), page_of(briefs[1])
    assert before == {
        "state": "not-updated",
        "at": None,
        "by": None,
        "by_hand": False,
        "note": None,
        "url": PAGE_URL,
        "said": f"the message is posted to {PAGE_URL}",
    }
    assert after["state"] == "updated" and after["by"] == "ada" and after["url"] == PAGE_URL
    assert isinstance(after["at"], str) and isinstance(after["said"], str)
    assert re.fullmatch(rf"updated at T\+\d\d:\d\d \({re.escape(PAGE_URL)}\)", after["said"])


async def test_a_failed_post_says_the_page_was_not_updated(tmp_path: Path) -> None:
    report, _brief, _hook, briefs = await _resolved(tmp_path, WITH_TARGET, 500)
    assert "Status page: not updated (delivery failed" in report, report
    assert f"update it by hand at {PAGE_URL}." in report
    after = page_of(briefs[1])
    assert after["state"] == "not-updated" and after["at"] is None and after["by"] is None
    assert isinstance(after["said"], str)
    assert after["said"].startswith("not updated (delivery failed: HTTP 500"), after
    assert after["said"].endswith(f"): update it by hand at {PAGE_URL}")


async def test_a_page_without_a_target_is_updated_by_hand(tmp_path: Path) -> None:
    report, brief, hook, briefs = await _resolved(tmp_path, BY_HAND, 200)
    assert not [r for r in hook.requests if r.path.endswith("/page")]
    assert f"Status page: not updated (no target: update it by hand at {PAGE_URL})." in report
    assert f"  status page: update it by hand at {PAGE_URL}\n" in brief
    for page in map(page_of, briefs):
        assert page == {
            "state": "not-updated",
            "at": None,
            "by": None,
            "by_hand": False,
            "note": None,
            "url": PAGE_URL,
            "said": f"update it by hand at {PAGE_URL}",
        }


async def test_without_a_page_the_words_say_none_is_configured(tmp_path: Path) -> None:
    report, brief, hook, briefs = await _resolved(tmp_path, "", 200)
    assert not [r for r in hook.requests if r.path.endswith("/page")]
    assert "Status page: none configured (the runbook has no status\\_page)." in report
    assert "  status page: none configured (the runbook has no status_page)\n" in brief
    assert "[ ] communicate-resolution: Communicate resolution\n      status page: none" in brief
    assert page_of(briefs[0]) == {
        "state": "not-configured",
        "at": None,
        "by": None,
        "by_hand": False,
        "note": None,
        "url": None,
        "said": "none configured (the runbook has no status_page)",
    }
    # Sent, the next step is no longer the page's: the text says nothing, the data the same.
    assert briefs[1]["status_page"] == briefs[0]["status_page"]
    assert not [line for line in briefs[1]["lines"] if "status page" in line.lower()]
