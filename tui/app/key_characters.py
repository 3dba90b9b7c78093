"""The characters of the named keys, told to Textual without its Unicode name lookups.

Textual 8.2.8 asks `textual.keys.key_to_character` about every key bound on the
ancestors of the focused widget (`Screen._binding_chain`: at the first frame, at
each key pressed and each footer refresh), so that a widget that takes text can
keep a key from its screen. For a named key it looks the key's name up in
`unicodedata`'s tables (`tab` is `TAB`, `left_square_bracket` is `LEFT SQUARE
BRACKET`), and `left` and `right`, which name no character, are searched for far
through them. The pages it reads stay resident: 0.8 MiB of the shared object's at
`lastgood start`'s first frame, against 0.09 MiB in a minimal Textual app, and most
of the margin the start-up memory target lacked (`docs/PERFORMANCE.md`, "First
frame"). Here the named keys lastgood's screens and Textual's widgets bind are
answered from a table, with Textual's own answers (`tests/tui/test_key_characters.py`
holds them equal, and fails if Textual moves the function); any other key is still
Textual's to answer. Textual is pinned exactly, so the table cannot drift unseen.
"""

from __future__ import annotations

import textual.screen
from textual.app import App
from textual.binding import Binding
from textual.keys import key_to_character as textual_key_to_character

CHARACTERS: dict[str, str | None] = {
    "tab": "\t",
    "space": " ",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "plus_sign": "+",
    "equals_sign": "=",
    "hyphen_minus": "-",
    "escape": "\x1b",
    "backspace": "\x08",
    "delete": "\x7f",
    "enter": None,
    "left": None,
    "right": None,
    "up": None,
    "down": None,
    "home": None,
    "end": None,
    "pageup": None,
    "pagedown": None,
}
"""Named key: the character Textual's `key_to_character` gives for it."""


def key_to_character(key: str) -> str | None:
    """The character of `key`, as Textual's `key_to_character` tells it."""
    try:
        return CHARACTERS[key]
    except KeyError:
        return textual_key_to_character(key)


def answer_named_keys() -> None:
    """Have Textual's binding chain ask `key_to_character` here, not its own."""
    textual.screen.key_to_character = key_to_character  # type: ignore[attr-defined,assignment]


class NamedKeys(App[None]):
    """An app whose keys are shown and looked up without `unicodedata`'s name tables.

    Defining it puts the table in Textual's binding chain (`answer_named_keys`), once
    for every app of lastgood's, before any of them shows a screen."""

    def get_key_display(self, binding: Binding) -> str:
        """A letter or digit key shown as itself, which is what Textual ends up showing,
        without first trying it as a character's name in the tables (a failed lookup
        that reads pages of them). A control key is shown as `ctrl+s`, as everywhere
        else the app names it (`Send (ctrl+s)`), not as Textual's `^s`."""
        key = binding.key
        if not binding.key_display and len(key) == 1 and key.isalnum():
            return key
        if not binding.key_display and key.startswith("ctrl+"):
            return key  # as the dialogs' buttons, hints and help write it; Textual: `^s`
        return super().get_key_display(binding)


answer_named_keys()
