"""Every reading verb with an ASCII stdout (review 9, the traceback finding): the C locale
with Python's UTF-8 mode off (`LC_ALL=C PYTHONUTF8=0`), as a cron job or a minimal
container runs `lastgood`. `brief`, `brief --json`, `timeline` and the Markdown `export`
died with a UnicodeEncodeError on a character of lastgood's own (`…`, `·`, `—`), and every
verb did on a title beyond ASCII. Now text the stream cannot write is written as its
code, and JSON escapes it (`\\u00e9`), the same document to a JSON reader.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli_helpers import ROOT, Cli, declare, lastgood_command

TITLE = "Checkout errors: café — 50% · ✓"
NOTE = "rolled back 📌 at once…"

READERS: list[tuple[str, ...]] = [
    ("status", "{id}"),
    ("status", "{id}", "--json"),
    ("brief", "{id}"),
    ("brief", "{id}", "--json"),
    ("timeline", "{id}"),
    ("timeline", "{id}", "--json"),
    ("export", "{id}"),
    ("export", "{id}", "--format", "json"),
    ("list",),
    ("list", "--json"),
    ("verify", "{id}"),
    ("verify", "{id}", "--json"),
    ("verify", "--all", "--json"),
    ("replay", "{id}", "--at", "T+00:00", "--json"),
]
"""Every verb that reads a record and prints it, in each of its forms (`score` reads
only a closed drill, `ics` a booked post-mortem: the same streams as `status`, `export`)."""


def _ascii_run(cli: Cli, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`lastgood ARGS` in the C locale with UTF-8 mode off: stdout and stderr ASCII."""
    env = {
        key: value
        for key, value in cli.env.items()
        if not key.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))
    }
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    return subprocess.run(
        [*lastgood_command(), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_every_reading_verb_prints_whole_with_an_ascii_stdout(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli, "--title", TITLE)
    cli.ok("note", incident_id, NOTE, "--pin")
    probe = _ascii_run(cli, "status", "--help")
    assert probe.returncode == 0, probe.stderr
    for words in READERS:
        args = [word.format(id=incident_id) for word in words]
        done = _ascii_run(cli, *args)
        assert done.returncode == 0, (args, done.stderr.decode(errors="replace"))
        assert b"Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.isascii(), (args, done.stderr)
        if args[-2:] == ["--format", "json"]:
            # The record file: UTF-8 (JSON's one encoding) whatever the locale.
            assert json.loads(done.stdout.decode("utf-8"))["status"]["title"] == TITLE
            continue
        assert done.stdout.isascii(), (args, done.stdout)
        out = done.stdout.decode("ascii")
        if args[0] == "verify":  # names no title: whole, and (with --json) valid
            assert "--json" not in args or json.loads(out)
        elif "--json" in args:
            data = json.loads(out)  # valid JSON, the same text once read
            assert TITLE in json.dumps(data, ensure_ascii=False), args
        else:
            assert "caf\\xe9" in out, (args, out)  # what ASCII lacks, as its code


def test_a_utf8_stdout_keeps_the_text_as_it_is(tmp_path: Path) -> None:
    """The escape is for a stream that cannot write the text; UTF-8 gets it as typed."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli, "--title", TITLE)
    env = dict(cli.env, LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [*lastgood_command(), "brief", incident_id, "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert f'"title": "{TITLE}"'.encode() in done.stdout
    assert done.stderr == b""


def test_utf8_arguments_are_recorded_under_an_ascii_locale(tmp_path: Path) -> None:
    """Python hands an ASCII locale's arguments over with each byte past 127 a surrogate
    escape: `note ID "café"`, valid UTF-8, was refused as `not valid UTF-8` (as was
    $LASTGOOD_USER=José). Its bytes are recovered and recorded as typed; bytes that are
    not UTF-8 are still refused, in one line."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    incident_id = declare(cli)
    cli.env["LASTGOOD_USER"] = "José"
    noted = _ascii_run(cli, "note", incident_id, "café ✓")
    assert noted.returncode == 0, noted.stderr.decode(errors="replace")
    assert noted.stderr == b""
    timeline = json.dumps(json.loads(cli.ok("timeline", incident_id, "--json")), ensure_ascii=False)
    assert '"actor": "José", "kind": "note.added", "text": "Note: café ✓"' in timeline, timeline
    bad = _ascii_run(cli, "note", incident_id, b"caf\xe9".decode("utf-8", "surrogateescape"))
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert bad.stderr == (
        b"lastgood note: error: argument 2 is not valid UTF-8 (byte 0xe9 at position 3)\n"
    )


def test_a_file_name_this_locale_cannot_hold_is_refused_in_one_line(tmp_path: Path) -> None:
    """A name past ASCII, recovered as text, cannot be handed to the system under an
    ASCII locale (a traceback in `os.stat`): one line naming the option, nothing made."""
    cli = Cli(tmp_path / "t.db", actor="Ada")
    done = _ascii_run(cli, "--db", str(tmp_path / "café.db"), "list")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.startswith(b"lastgood list: --db: '"), done.stderr
    assert b"set a UTF-8 locale (LC_ALL=C.UTF-8)" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
