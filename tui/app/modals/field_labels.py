"""A verb parameter as the TUI's forms name it: one mapping, read by every form's
labels and by every refusal that names a parameter (`CommandError.about`)."""

from __future__ import annotations

FORM_WORDS = {"last_good": "Last-good version", "eta": "ETA minutes"}
"""Parameters a form names otherwise than by their name (the declaration form's)."""


def label_of(name: str) -> str:
    """A parameter as the forms name it, the one mapping: `resend_failed` is "Resend
    failed", `last_good` "Last-good version" (`FORM_WORDS`). A refusal about a parameter
    (`CommandError.about`) names it so, in every dialog."""
    return FORM_WORDS.get(name) or name.replace("_", " ").capitalize()
