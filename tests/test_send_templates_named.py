"""Where a message's templates are named, as a user looks for them, on a real file.

`lastgood send --help` said only "--template NAME  the runbook template". It now
names the bundled runbook's templates (without loading the runbook: `--help` stays
on the verb table, `tests/test_cli_startup.py`) and the command that lists an
incident's own: `lastgood send ID` with neither --template nor --text.
"""

from __future__ import annotations

from tests.cli_helpers import Cli, declare
from tui.demo.scenarios import bundled_runbook

BUNDLED = sorted(name for name, _ in bundled_runbook().templates)


def test_send_help_names_the_bundled_templates_and_where_an_incidents_are(tmp_path):
    cli = Cli(tmp_path / "incidents.db")
    cli.env = {**cli.env, "COLUMNS": "200"}  # the list on one line
    result = cli.run("send", "--help")
    assert result.code == 0, result.err
    said = " ".join(result.out.split())
    assert f"The bundled runbook's templates: {', '.join(BUNDLED)}." in said
    assert (
        "An incident's templates are its runbook's: `lastgood send ID`, with neither "
        "--template nor --text, lists them." in said
    )
    assert not cli.db.exists()


def test_send_without_template_or_text_lists_the_incidents_templates(tmp_path):
    cli = Cli(tmp_path / "incidents.db")
    incident = declare(cli)
    result = cli.run("send", incident)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"lastgood send: a message needs a template or a text (templates: {', '.join(BUNDLED)})\n"
    )
