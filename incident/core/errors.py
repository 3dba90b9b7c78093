"""The domain's refusals: one base, so every face shows them the same way."""

from __future__ import annotations


class CommandError(Exception):
    """A command the incident's rules refuse; the message is for the user.

    The message speaks the domain's terms ("a forced close needs a reason"), never
    one face's (a CLI flag, a key). `needs` names the verb parameters that would
    resolve it, so each face can phrase the remedy its own way: the CLI as
    `--force --reason`, the TUI as the form's fields.

    A damaged record (`incident.core.chain.DamagedRecord`) is one too: the TUI's and
    the CLI's handlers for refused commands show it, and nothing is recorded.
    """

    def __init__(self, message: str, *, needs: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.needs = needs
