"""The runbook's `status_page:`: the page people read, and the notify target that posts
the resolution to it; its mistakes refused at FILE:LINE:COL, and it survives the
incident's snapshot of the runbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks import load_runbook
from runbooks.serialize import runbook_from_data, runbook_to_data
from tests.runbooks.conftest import Problems, WriteFile, messages

HEAD = """\
runbook: mini
title: Mini rollback
templates:
  resolved: "Resolved: {title}."
  update: "Still on it."
notify:
  targets:
    - {name: team, kind: slack, url: "http://127.0.0.1:9/team"}
    - {name: page, kind: json, url: "http://127.0.0.1:9/page"}
  send:
    resolved: [team]
"""
PHASES = """\
phases:
  - id: decide
    title: Decide
    steps:
      - {id: assess, title: Assess severity}
"""


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "{url: 'https://status.example.com', target: pager}",
            "12:58: no notify target 'pager' (targets: team, page)",
        ),
        (
            "{url: 'https://status.example.com', target: page, send: [resolved, nope]}",
            "12:81: no template 'nope' (templates: resolved, update)",
        ),
        ("{url: 'status.example.com'}", "12:20: URL 'status.example.com' needs a scheme"),
        (
            "{url: 'ftp://status.example.com'}",
            "12:20: unsupported URL scheme 'ftp' in 'ftp://status.example.com'",
        ),
        (
            "{url: '${STATUS_URL}'}",
            "12:20: the status page's 'url' is shown to people: write it out, not ${NAME}",
        ),
        ("{target: page}", "12:14: missing required key 'url' in status_page"),
        (
            "{url: 'https://status.example.com', send: [update]}",
            "12:56: 'send' needs 'target': the notify target that posts to the page",
        ),
        (
            "{url: 'https://s.example.com', traget: page}",
            "12:45: unknown key 'traget' (did you mean 'target'?)",
        ),
    ],
)
def test_a_mistake_in_the_status_page_is_refused_in_place(
    problems: Problems, page: str, message: str
) -> None:
    found = messages(problems(HEAD + f"status_page: {page}\n" + PHASES))
    assert any(m.startswith(message) for m in found), found


def test_the_resolution_is_posted_by_default_and_needs_its_template(problems: Problems) -> None:
    text = HEAD.replace('  resolved: "Resolved: {title}."\n', "").replace(
        "    resolved: [team]\n", "    update: [team]\n"
    )
    found = messages(
        problems(text + "status_page: {url: 'https://s.example.com', target: page}\n" + PHASES)
    )
    assert any("there is no template 'resolved'" in m for m in found), found


def test_the_page_target_takes_the_resolution_beside_its_routed_targets(write: WriteFile) -> None:
    page = "status_page: {url: 'https://status.example.com', target: page}\n"
    runbook = load_runbook(write(HEAD + page + PHASES))
    assert runbook.status_page is not None
    assert runbook.status_page.send == ("resolved",)
    assert [t.name for t in runbook.targets_for("resolved")] == ["team", "page"]
    assert runbook.targets_for("update") == ()
    again = runbook_from_data(runbook_to_data(runbook), runbook.source)
    assert again == runbook


def test_a_page_without_a_target_posts_nothing(write: WriteFile, tmp_path: Path) -> None:
    runbook = load_runbook(
        write(HEAD + "status_page: {url: 'https://status.example.com'}\n" + PHASES)
    )
    assert runbook.status_page is not None and runbook.status_page.target == ""
    assert [t.name for t in runbook.targets_for("resolved")] == ["team"]
    assert runbook_from_data(runbook_to_data(runbook), runbook.source) == runbook
