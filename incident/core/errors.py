"""The domain's refusals: one base, so every face shows them the same way."""

from __future__ import annotations


class CommandError(Exception):
    """A command the incident's rules refuse; the message is for the user.

    A damaged record (`incident.core.chain.DamagedRecord`) is one too: the TUI's and
    the CLI's handlers for refused commands show it, and nothing is recorded.
    """
