"""The README's status page section says what each state the record can show means
(the states `brief --json` names, read from the code) and how to record a hand update,
in each face (the verb's name and options, and its TUI key, read from the verb table)."""

from __future__ import annotations

from pathlib import Path

from incident.app.verbs import BY_NAME
from incident.comms.status_page import NOT_CONFIGURED, NOT_UPDATED, UPDATED

README = Path(__file__).resolve().parent.parent / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("**The status page.**")
    return text[start : text.index("\n## ", start)]


def test_each_state_has_a_row_saying_what_it_means() -> None:
    said = section()
    for state in (UPDATED, NOT_UPDATED, NOT_CONFIGURED):
        rows = [line for line in said.splitlines() if line.startswith(f"| `{state}` | ")]
        assert len(rows) == 1, state
        meaning = rows[0].split(" | ")[1]
        assert len(meaning) > 40, rows[0]


def test_it_says_how_to_record_a_hand_update_in_every_face() -> None:
    said = " ".join(section().split())
    verb = BY_NAME["status-page"]
    assert f"`lastgood {verb.name} ID [--note TEXT] [--by NAME]`" in said
    assert f"`{verb.key_display}` on the coordinator's screen" in said
    assert f'("{verb.title}" in help and the palette)' in said
    assert f"then record it (key {verb.key_display})" in said
    assert "updated by hand by Ada at T+41:07" in said
