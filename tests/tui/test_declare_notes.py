"""The declare form says what `lastgood declare` says of the runbook, before declaring
(msgwords #3): a Markdown runbook's "enforces none of the guide's rules", a token sent
over plain http://, `{next_update}` inside a sentence. The command line printed them
after declaring; the form showed none of them. Both read
`incident.app.declare_notes.runbook_notes`; the form's lines are checked against what
`lastgood declare` prints for the same runbook.
"""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Input, Label

from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_until
from tests.tui.test_declare_fields import CHECKLIST, declare_form

TEAM = """\
runbook: team
title: Team rollback
notify:
  targets:
    - {name: ops, kind: json, url: "http://hooks.example.com/ingest",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
templates:
  update: "Update on {title}: rollback {status}. Next update by {next_update}."
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""

NOT_THE_RUNBOOKS = ("a new database at ", "not set")
"""What `declare` says beside the runbook's notes: the record's file, and the variables
unset in its environment (the coordinator's screen toasts those once declared)."""


def cli_notes(tmp_path: Path, runbook: str) -> list[str]:
    """What `lastgood declare --runbook RUNBOOK` says of it on stderr."""
    cli = InProcessCli(tmp_path / "cli.db", actor="ada")
    result = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", runbook,
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = [line.removeprefix("lastgood declare: ") for line in result.err.splitlines()]
    return [line for line in lines if not any(other in line for other in NOT_THE_RUNBOOKS)]


async def test_the_form_shows_what_declare_says_of_the_runbook_before_declaring(
    tmp_path: Path,
) -> None:
    team = tmp_path / "team.yaml"
    team.write_text(TEAM, encoding="utf-8")
    expected = {name: cli_notes(tmp_path, name) for name in (CHECKLIST, str(team))}
    assert expected[CHECKLIST][0].startswith("note: a Markdown runbook enforces none of the guide")
    said = "\n".join(expected[str(team)])
    assert "warning: target ops sends $HOOK_SECRET over plain http:// to hooks.example.com" in said
    assert "8:65: warning: template 'update' puts {next_update} in a sentence" in said
    async with declare_form(tmp_path / "r.db") as (_app, pilot, form):
        notes = form.query_one("#runbook-notes", Label)
        box = form.query_one("#runbook-notes-box", VerticalScroll)
        assert not box.display  # the bundled runbook: nothing to say
        field = form.query_one("#runbook", Input)
        heading = form.query_one("#runbook-title", Label)
        for name, title in ((CHECKLIST, "Rollback checklist"), (str(team), "Team rollback")):
            field.value = name
            field.focus()
            await pilot.press("tab")  # leaving the field looks the runbook up
            await wait_until(pilot, lambda t=title: t in str(heading.content))
            assert str(notes.content).splitlines() == expected[name]
            assert box.display
        field.value = "rollback"
        field.focus()
        await pilot.press("tab")
        await wait_until(pilot, lambda: not box.display)
        assert str(notes.content) == ""


async def test_notes_longer_than_their_box_scroll_from_the_keyboard(tmp_path: Path) -> None:
    """The notes box takes no focus, so PgDn and PgUp scroll it from any field, and the
    last line says so while the notes do not fit (they scrolled with the mouse alone)."""
    many = tmp_path / "many.yaml"
    many.write_text(
        TEAM.replace(
            "templates:\n",
            "".join(
                f'    - {{name: hook{n}, kind: json, url: "http://h{n}.example.com/in",\n'
                f'       headers: {{Authorization: "Bearer ${{HOOK_SECRET}}"}}}}\n'
                for n in range(8)
            )
            + "templates:\n",
        ),
        encoding="utf-8",
    )
    async with declare_form(tmp_path / "r.db") as (_app, pilot, form):
        box = form.query_one("#runbook-notes-box", VerticalScroll)
        hint = form.query_one(".declare-hint", Label)
        assert "PgUp/PgDn" not in str(hint.content)  # the bundled runbook: no notes
        field = form.query_one("#runbook", Input)
        field.value = str(many)
        field.focus()
        await pilot.press("tab")  # leaving the field looks the runbook up
        await wait_until(pilot, lambda: box.display and box.max_scroll_y > 0)
        await wait_until(pilot, lambda: "PgUp/PgDn notes" in str(hint.content))
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: box.scroll_y > 0)
        assert form.focused is not None and form.focused.id != "runbook-notes-box"
        await pilot.press("pageup")
        await wait_until(pilot, lambda: box.scroll_y == 0)
