"""A line cut to fit never cuts a control character's escape in half.

A title holding U+202E (a right-to-left override) is shown as the six characters
`\\u202e`. `brief` cuts its lines at 100 characters after that, and a cut falling
inside the escape ended the line on `\\u…`: neither the character nor its code. On a
terminal, `status` wrapped a title with no space at the width, `\\u` at one line's
end and `202e` at the next one's start. The escape is dropped whole from a cut line,
and a wrapped one goes to the next line whole. `lastgood` run as a process, on a real
SQLite file, `status` on a pseudo-terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_cli_fitted import on_a_terminal

ESCAPE = "\\u202e"
"""How U+202E is shown."""


def declared(cli: Cli, title: str) -> str:
    return cli.ok("declare", "--title", title, "--severity", "SEV2", "--commander", "Ada").strip()


def test_brief_drops_an_escape_its_cut_would_fall_in(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "clip.db", actor="Ada")
    incident_id = declared(cli, "x")
    head = f"{incident_id}  SEV2  "
    before = 97 - len(head)  # the escape at columns 98-103; the cut at 99 falls in it
    title = "a" * before + "\u202e" + "b" * 30
    incident_id = declared(cli, title)
    head = f"{incident_id}  SEV2  "  # as long as the first's

    first = cli.ok("brief", incident_id).splitlines()[0]
    assert first == f"{head}{'a' * before}…"
    data = json.loads(cli.ok("brief", incident_id, "--json"))
    assert data["lines"][0] == first
    assert data["title"] == title  # the data keeps the exact text

    # An escape ending right at the cut stays, whole.
    ends = "a" * (before - 4) + "\u202e" + "b" * 30
    other = declared(cli, ends)
    shown = cli.ok("brief", other).splitlines()[0]
    assert shown == f"{other}  SEV2  {'a' * (before - 4)}{ESCAPE}…"

    # `status` and `list` print the line whole through a pipe: the escape with it.
    assert f"SEV2  {'a' * before}{ESCAPE}{'b' * 30}" in cli.ok("status", incident_id)
    assert f"{'a' * before}{ESCAPE}{'b' * 30}" in cli.ok("list")


def test_status_on_a_terminal_wraps_before_an_escape_not_inside_it(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "wrap.db", actor="Ada")
    incident_id = declared(cli, "x")
    head = f"{incident_id}  SEV2  "
    before = 57 - len(head)  # the escape at columns 58-63 of a 60-column terminal
    incident_id = declared(cli, "a" * before + "\u202e" + "b" * 40)
    head = f"{incident_id}  SEV2  "

    shown = on_a_terminal(cli, 60, "status", incident_id, rows=200).splitlines()
    assert shown[0] == f"{head}{'a' * before}"
    assert shown[1] == f"  {ESCAPE}{'b' * 40}"
