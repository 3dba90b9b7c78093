"""The CLI's stdout backstop, and the bytes path the JSON export takes through it."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from incident.core.text import has_control
from tests.cli_helpers import Cli, lastgood_command
from tui.cli.shown_stream import ShownStream, shown, shown_utf8

any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)
export_like = ["a", "{", '"', "\t", "\n", "\r", "\x1b", "\x7f", "é", "\x9b"]
mostly_ascii = st.text(st.sampled_from(export_like))


@given(st.one_of(any_text, mostly_ascii))
def test_shown_utf8_is_shown_text_encoded(text: str) -> None:
    assert shown_utf8(text) == shown(text).encode()


@given(st.one_of(any_text, mostly_ascii))
def test_shown_text_keeps_only_newline_tab_and_crlf(text: str) -> None:
    out = shown(text).replace("\r\n", "")
    assert {c for c in out if has_control(c)} <= {"\n", "\t"}


def test_the_usual_export_text_passes_unchanged() -> None:
    text = '{"actor":"probes","payload":{"text":"ok\\u001b[2J"}}\n'
    assert shown_utf8(text) == text.encode()


def test_a_raw_escape_is_shown_not_written() -> None:
    assert shown_utf8("a\x1b[2Jb\r\nc\rd") == "a␛[2Jb\r\nc␍d".encode()


def test_write_shown_goes_beneath_the_text_layer_after_what_was_written() -> None:
    raw = io.BytesIO()
    wrapped = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
    stream = ShownStream(wrapped)
    stream.write("head ")
    stream.write_shown([shown_utf8("Zoë "), shown_utf8("\x1b]52;c;x\x07")])
    assert raw.getvalue().decode() == "head Zoë ␛]52;c;x␇"


def test_write_shown_decodes_a_character_split_between_parts_for_a_text_only_stream() -> None:
    out = io.StringIO()
    encoded = shown_utf8("Zoë wrote ✓")
    split = encoded.index("ë".encode()) + 1  # inside the two bytes of ë
    ShownStream(out).write_shown([encoded[:split], encoded[split:]])
    assert out.getvalue() == "Zoë wrote ✓"


def test_the_json_export_is_utf8_whatever_stdout_encodes(tmp_path: Path) -> None:
    """The export's bytes go beneath stdout's text layer: an ASCII-only locale
    (PYTHONIOENCODING=ascii) neither fails on a note's accents nor changes them."""
    cli = Cli(tmp_path / "record.db")
    incident_id = cli.ok(
        "declare", "--title", "Zoë's checkout ✓", "--severity", "SEV2", "--commander", "Zoë"
    ).strip()
    cli.ok("note", incident_id, "naïve retry → 502s \x1b[2J cleared?")
    done = subprocess.run(
        [*lastgood_command(), "export", incident_id, "--format", "json"],
        env={**cli.env, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout
    record = json.loads(done.stdout.decode("utf-8"))
    assert record["status"]["title"] == "Zoë's checkout ✓"
    assert [n["text"] for n in record["notes_log"]] == ["naïve retry → 502s \x1b[2J cleared?"]
