"""The status page updated by hand, from the command line: `lastgood status-page ID
[--note TEXT] [--by NAME]` records who updated it and when (`status_page.updated`), and
`status`, `brief`, the timeline and the report's Communications log say "updated by
hand by X at T", the report counting the page as updated; a page whose target failed
is recorded the same way. Real SQLite files, `main` in this process."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import InProcessCli
from tests.test_status_page_cli import BY_HAND, PAGE_URL, RUNBOOK, WITH_TARGET, _resolved, page_of

T = r"T\+\d\d:\d\d"


def _declared(tmp_path: Path, page: str) -> tuple[InProcessCli, str]:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK % {"page": page})
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    cli.env["TEAM_HOOK"] = "http://127.0.0.1:9/team"  # never delivered to here
    cli.env["PAGE_HOOK"] = "http://127.0.0.1:9/page"
    declared = cli.run(
        "declare",
        *("--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"),
        *("--issue", "checkout errors", "--runbook", str(runbook)),
    )
    assert declared.code == 0, declared.err
    return cli, declared.out.splitlines()[0]


def test_every_view_says_who_updated_the_page_by_hand_and_when(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, BY_HAND)
    assert cli.run("send", incident, "--template", "resolved").code == 0
    status = cli.run("status", incident)
    assert f"status page: update it by hand at {PAGE_URL}\n" in status.out, status.out
    done = cli.run("status-page", incident, "--by", "Bo", "--note", "posted on statuspage.io")
    assert done.code == 0, done.err
    assert "status page recorded as updated by hand by Bo" in done.out
    said = rf"updated by hand by Bo at {T} \({re.escape(PAGE_URL)}\): posted on statuspage\.io"
    status = cli.run("status", incident)
    assert re.search(rf"\nstatus page: {said}\n", status.out), status.out
    brief = cli.run("brief", incident)  # its lines cut at 100 characters
    assert re.search(rf"\nStatus page: updated by hand by Bo at {T} \(https://", brief.out)
    page = page_of(json.loads(cli.run("brief", incident, "--json").out))
    assert (page["state"], page["by"], page["by_hand"]) == ("updated", "Bo", True)
    assert page["note"] == "posted on statuspage.io" and page["url"] == PAGE_URL
    assert isinstance(page["at"], str) and isinstance(page["said"], str)
    assert re.fullmatch(said, page["said"])
    timeline = cli.run("timeline", incident)
    assert "Status page updated by hand by Bo: posted on statuspage.io" in timeline.out
    report = cli.run("export", incident).out
    assert re.search(rf"Status page {said}\.", report), report
    assert "Status page: not updated" not in report


async def test_a_page_whose_target_failed_is_updated_by_hand(tmp_path: Path) -> None:
    report, _said, _hook, briefs = await _resolved(
        tmp_path, WITH_TARGET, 500, ("status-page", "--note", "target down: posted by hand")
    )
    assert "Status page: not updated" not in report, report
    assert re.search(
        rf"Status page updated by hand by ada at {T} \({re.escape(PAGE_URL)}\): "
        r"target down: posted by hand\.",
        report,
    ), report
    page = page_of(briefs[1])
    assert page["state"] == "updated" and page["by_hand"] is True and page["by"] == "ada"


def test_without_a_page_a_hand_update_is_recorded_all_the_same(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, "")
    done = cli.run("status-page", incident)
    assert done.code == 0, done.err
    assert "the runbook names no status page" in done.out + done.err
    report = cli.run("export", incident).out
    assert re.search(rf"Status page updated by hand by ada at {T}\.\n", report), report
    page = page_of(json.loads(cli.run("brief", incident, "--json").out))
    assert (page["state"], page["url"], page["note"]) == ("updated", None, "")


def test_a_name_with_a_control_character_is_refused_in_one_line(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, BY_HAND)
    before = json.loads(cli.run("export", incident, "--format", "json").out)["events"]
    refused = cli.run("status-page", incident, "--by", "Bo\x1b[31m")
    assert refused.code != 0
    assert len(refused.err.strip().splitlines()) == 1 and "Traceback" not in refused.err
    assert "--by" in refused.err, refused.err
    assert json.loads(cli.run("export", incident, "--format", "json").out)["events"] == before
