"""Probes nobody pointed at a service: the bundled runbook's loopback defaults.

Kept apart from `runbooks.starter` (which renders YAML) so that the coordinator's
screen and `declare` can ask without loading it.
"""

from __future__ import annotations

from runbooks.checks import with_defaults
from runbooks.model import Probe, Runbook

BUNDLED_PROBE_URLS = {
    "health": "http://127.0.0.1:8080/healthz",
    "version": "http://127.0.0.1:8080/version",
    "error-rate": "http://127.0.0.1:9090",
}
"""Where the bundled runbook's probes point until someone points them at a service
(a test holds these equal to `rollback.yaml`)."""


def unpointed_probes(runbook: Runbook) -> list[str]:
    """The probes still at the bundled runbook's loopback defaults: declaring with
    them would show refused probes where the user expects their service."""
    return [
        probe.name
        for probe in runbook.probes
        if BUNDLED_PROBE_URLS.get(probe.name) == with_defaults(probe.url)
    ]


def unpointed_hint(names: list[str]) -> str | None:
    """One line saying how to point the `unpointed_probes`, or None when there are none."""
    if not names:
        return None
    return (
        f"the runbook's probes ({', '.join(names)}) still point at the bundled 127.0.0.1 "
        "defaults: `lastgood init` writes a runbook for your service "
        "(then declare with --runbook ./lastgood.yaml)"
    )


UNPOINTED_TITLE = "Probes not polled: default URLs"
"""The screen's toast title for the `unpointed_probes`: the cause, on the one line a
toast's title has."""

UNPOINTED_REMEDY = "`lastgood init` writes a runbook for your service"
"""The screen's toast for the `unpointed_probes`: the remedy, whole in the two lines an
80x24 toast shows (`lastgood init` then says how to declare with what it wrote). The
command line's `unpointed_hint` ran to four lines there, cut before its remedy."""


def pointed_probes(runbook: Runbook) -> tuple[tuple[Probe, ...], str | None]:
    """The probes worth polling (every face leaves the unpointed ones out), and the hint
    to show when some were left out."""
    unpointed = unpointed_probes(runbook)
    probes = tuple(probe for probe in runbook.probes if probe.name not in unpointed)
    return probes, unpointed_hint(unpointed)
