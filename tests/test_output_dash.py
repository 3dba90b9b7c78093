"""`-o -` is standard output for every verb that writes a file someone names.

`lastgood init -o - > mine.yaml` wrote a file named `-` and left `mine.yaml` empty,
where `export -o -` printed. Both go through `incident.app.whole_file`, where `-`
now names standard output: the runbook alone on stdout, init's notes on stderr.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from runbooks import load_runbook
from tests.cli_helpers import Cli, declare, lastgood_command
from tests.init_helpers import SERVICE, URLS, init


def test_init_dash_writes_the_runbook_to_stdout_and_its_notes_to_stderr(tmp_path: Path) -> None:
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--no-prometheus", "-o", "-", process=True)
    assert code == 0, err
    assert not (tmp_path / "-").exists()
    assert out.startswith("# The emergency rollback runbook for checkout")
    assert "runbook written to standard output: the bundled rollback plan for checkout" in err
    kept = tmp_path / "mine.yaml"
    kept.write_text(out)
    assert load_runbook(kept).probes  # it loads: the notes are not in it


def test_export_dash_prints_the_report_and_writes_no_file(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "inc.db")
    cli.cwd = tmp_path
    incident = declare(cli)
    done = subprocess.run(
        [*lastgood_command(), "export", incident, "-o", "-"],
        env=cli.env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    assert incident in done.stdout
