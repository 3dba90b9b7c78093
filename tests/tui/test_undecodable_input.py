"""A byte that is not UTF-8, typed into a real terminal, neither ends the TUI nor loses
what was typed around it (`tui/app/undecodable.py`).

Before: the pasted Latin-1 `é` (0xE9) of "café" killed Textual's input thread, and
`lastgood start` ended in a traceback with exit 0 and the note's text gone.
"""

from __future__ import annotations

import codecs
import shlex
from pathlib import Path

import pytest
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.tmux import child_env
from tests.tui.tmux_server import tmux_server
from tui.app.app import LastGoodApp
from tui.app.read_only_app import ReadOnlyApp
from tui.app.undecodable import LenientInput, decode_leniently, replacing_decoder

LATIN1_CAFE = "63 61 66 e9 78 79"
"""`caf`, Latin-1 `é` (not UTF-8: a lead byte with no continuation), then `xy`."""
SHOWN = "caf\ufffdxy"


def test_a_latin1_byte_in_a_note_is_kept_as_a_replacement_character(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "incident.db", actor="ada")
    incident = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    env = child_env(
        {
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "LASTGOOD_DB": str(cli.db),
            "LASTGOOD_USER": "ada",
            "XDG_STATE_HOME": str(tmp_path / "xdg"),
        }
    )
    start = shlex.join([*lastgood_command(), "start", "--incident", incident, "--no-probes"])
    with tmux_server(env) as tmux:
        tmux("new-session", "-d", "-s", "rollback", "-x", "120", "-y", "40")
        pane = "rollback:0"
        tmux.keys(pane, f"{start}; echo exit=$?", "Enter")
        tmux.wait_for(pane, "the incident", lambda s: "Checkout errors" in s, timeout=30)
        tmux.keys(pane, "n")
        tmux.wait_for(pane, "the note dialog", lambda s: "Text *" in s)
        tmux("send-keys", "-t", pane, "-H", *LATIN1_CAFE.split())
        tmux.wait_for(pane, "the typed text", lambda s: SHOWN in s)
        tmux.keys(pane, "C-s")
        tmux.wait_for(pane, "the note on the timeline", lambda s: f"Note: {SHOWN}" in s)
        tmux.keys(pane, "q")
        tmux.wait_for(pane, "the app closed", lambda s: "exit=0" in s)

    assert f"Note: {SHOWN}" in cli.ok("timeline", incident)


@pytest.fixture
def strict_linux_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Linux driver as Textual ships it, restored after the test."""
    monkeypatch.setattr(linux_driver, "getincrementaldecoder", codecs.getincrementaldecoder)


@pytest.mark.usefixtures("strict_linux_driver")
def test_the_driver_decodes_leniently_once_and_for_its_subclasses() -> None:
    class OwnDriver(LinuxDriver):
        pass

    decode_leniently(OwnDriver)
    decode_leniently(OwnDriver)
    assert linux_driver.getincrementaldecoder is replacing_decoder
    decoder = linux_driver.getincrementaldecoder("utf-8")()
    assert decoder.decode(b"caf\xe9", final=False) + decoder.decode(b"xy") == SHOWN


@pytest.mark.parametrize("app", [LastGoodApp, ReadOnlyApp])
def test_every_app_decodes_its_terminal_leniently(app: type[object]) -> None:
    assert issubclass(app, LenientInput)
