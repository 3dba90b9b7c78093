"""Where a runbook uses one `${NAME}` of the environment, carried by each probe and
webhook target it builds (part of the runbook model, `runbooks.model`, which
re-exports it)."""

from __future__ import annotations

from msgspec import Struct


class VariableUse(Struct, frozen=True):
    """One variable the runbook's probes and webhook targets read, and every place
    (`runbooks.secret_reads`: a header, a URL's host, query...) any of them uses it in.

    Each probe and target of a built runbook carries the uses of all the runbook's
    variables (`runbooks.secret_reads.with_variable_uses`), so that its error lines
    hide a variable that is a secret anywhere in the runbook, as typed text and
    command output do, and not only one that is a secret in its own request."""

    name: str
    places: tuple[str, ...]
    webhook: bool = False
    """Whether a webhook target's URL reads it (its token-like path segments count)."""
