"""The named keys' characters (`tui.app.key_characters`) are Textual's own answers."""

from __future__ import annotations

import textual.screen
from textual.keys import key_to_character as textual_key_to_character

import tui.app.app  # noqa: F401 - the app has the binding chain ask the table
from tui.app.key_characters import CHARACTERS, key_to_character


def test_each_named_key_has_the_character_textual_gives_it() -> None:
    for key, character in CHARACTERS.items():
        assert character == textual_key_to_character(key), key


def test_other_keys_are_textual_s_to_answer() -> None:
    for key in ("x", "ctrl+x", "shift+tab", "f1", "exclamation_mark", "full_stop"):
        assert key_to_character(key) == textual_key_to_character(key)


def test_the_binding_chain_asks_the_table() -> None:
    """Fails if a Textual release stops looking the function up in `textual.screen`."""
    assert textual.screen.key_to_character is key_to_character  # type: ignore[attr-defined]
