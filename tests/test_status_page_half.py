"""Communicate Resolution, "Update the status page and notify all stakeholders", is two
halves: a runbook naming a page no target posts to keeps the step open after the
message until the page is recorded updated (`status-page`, the TUI's U), which then
checks it; `status_page: none` says the team has none, and the message alone does
(ux_review15 #4). Real SQLite files, `main` in this process."""

from __future__ import annotations

from pathlib import Path

from runbooks import load_runbook
from runbooks.serialize import runbook_to_data
from tests.cli_helpers import InProcessCli
from tests.test_status_page_cli import BY_HAND, PAGE_URL, RUNBOOK

LEFT_OPEN = (
    f"communicate-resolution stays open: the status page {PAGE_URL} is not recorded as "
    "updated; update it, then record it (status-page), which checks it"
)


def _declared(tmp_path: Path, page: str) -> tuple[InProcessCli, str]:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK % {"page": page})
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    cli.env["TEAM_HOOK"] = "http://127.0.0.1:9/team"  # never delivered to here
    cli.env["PAGE_HOOK"] = "http://127.0.0.1:9/page"
    declared = cli.run(
        *("declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"),
        *("--issue", "checkout errors", "--runbook", str(runbook)),
    )
    assert declared.code == 0, declared.err
    return cli, declared.out.splitlines()[0]


def _open(cli: InProcessCli, incident: str) -> bool:
    return "[ ] communicate-resolution" in cli.run("status", incident).out


def test_the_message_alone_leaves_the_page_half_open(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, BY_HAND)
    sent = cli.run("send", incident, "--template", "resolved")
    assert sent.code == 0, sent.err
    assert LEFT_OPEN in sent.out and "checked communicate-resolution" not in sent.out
    assert _open(cli, incident)
    ticked = cli.run("check", incident, "communicate-resolution")
    assert ticked.code == 2 and "the status page" in ticked.err and "--override" in ticked.err
    assert _open(cli, incident)
    done = cli.run("status-page", incident, "--note", "posted on statuspage.io")
    assert done.code == 0, done.err
    assert "checked communicate-resolution: the message was sent, the page updated" in done.out
    assert not _open(cli, incident)


def test_the_page_updated_first_lets_the_message_check_it(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, BY_HAND)
    assert "checked" not in cli.ok("status-page", incident)  # no message yet: stays open
    assert _open(cli, incident)
    sent = cli.run("send", incident, "--template", "resolved")
    assert "checked communicate-resolution: the message was sent" in sent.out, sent.out
    assert not _open(cli, incident)


def test_status_page_none_lets_the_message_alone_do_it(tmp_path: Path) -> None:
    cli, incident = _declared(tmp_path, "status_page: none\n")
    runbook = load_runbook(tmp_path / "runbook.yaml")
    assert runbook.status_page is None and runbook.no_status_page
    assert runbook_to_data(runbook)["status_page"] == "none"  # the record's snapshot keeps it
    sent = cli.run("send", incident, "--template", "resolved")
    assert "checked communicate-resolution: the message was sent" in sent.out, sent.out
    report = cli.ok("export", incident)
    assert "Status page: none (the runbook says status\\_page: none)." in report


def test_init_writes_the_page_given_or_none_and_says_how_without_one(tmp_path: Path) -> None:
    from tests.init_helpers import SERVICE, URLS, init

    for given, expected in ((PAGE_URL, PAGE_URL), ("none", None)):
        code, out, err = init(tmp_path, *SERVICE, *URLS, "--status-page", given, "--force")
        assert code == 0, err
        runbook = load_runbook(tmp_path / "lastgood.yaml")
        page = runbook.status_page
        assert (page.url if page else None, runbook.no_status_page) == (expected, not expected)
    assert "status page: none (the resolution message alone communicates it)" in out
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--force")
    assert code == 0 and "no status page given" in out and "--status-page URL|none" in out
    assert (
        "add `status_page: {url: https://status.example.com}`"
        in (tmp_path / "lastgood.yaml").read_text()
    )
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--status-page", "status.example.com", "--force")
    assert code == 2 and "--status-page: " in err


def test_init_asks_for_the_page_at_a_terminal(tmp_path: Path) -> None:
    from tests.http_servers import unused_port
    from tests.test_init_terminal import FIRST_ANSWERS, answered_at_a_terminal

    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", ""),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            ("Error-rate baseline", ""),
            ("Status page URL", ""),
            ("Status page URL", PAGE_URL),
        ],
    )
    assert code == 0, screen
    assert "status page: give the page's URL, or none if people read none" in screen
    page = load_runbook(tmp_path / "lastgood.yaml").status_page
    assert page is not None and page.url == PAGE_URL and not page.target
